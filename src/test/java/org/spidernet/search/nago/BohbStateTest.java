package org.spidernet.search.nago;

import org.junit.jupiter.api.Test;
import org.spidernet.search.bohb.Point;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bracket bookkeeping of {@link BohbState} on Hyperband(1, 4, eta 2) with 2 samples, whose
 * first bracket (s = 2) runs 4 configurations on 1 epoch, 2 on 2 and 1 on 4: the job order, the
 * promotions by mean accuracy (ties to the earlier), the epochs it spends, the found
 * configuration, and the snapshot round trip at every job.
 */
class BohbStateTest {
    private static final NagoSettings SETTINGS = new NagoSettings(2, 1, 4, 2, 1000);
    // rung-0 accuracies: configurations 1 and 3 tie; at rung 1, 3 pulls ahead
    private static final double[] BASE = {0.3, 0.9, 0.5, 0.9};
    private static final double[] RUNG1 = {0, 0.02, 0, 0.05};

    private static double accuracy(int rung, int configuration, int sample) {
        return BASE[configuration] + (rung >= 1 ? RUNG1[configuration] : 0) + 0.01 * sample;
    }

    private static Point point(int i) {
        double[] u = new double[GeneratorParameters.SPACE.dimension()];
        java.util.Arrays.fill(u, (i + 1) / 10.0);
        return new Point(u);
    }

    /** Runs the current bracket to its end, returning (rung, configuration, sample, epochs, proposes) per job. */
    private static List<List<Integer>> run(BohbState[] state) {
        List<List<Integer>> jobs = new ArrayList<>();
        while (true) {
            BohbState s = state[0];
            assertEquals(s, BohbState.fromTensors(s.toTensors()), "the snapshot carries the whole state");
            Optional<NagoJob> next = s.next(SETTINGS);
            if (next.isEmpty()) {
                return jobs;
            }
            NagoJob j = next.get();
            assertEquals(j, BohbState.fromTensors(s.toTensors()).next(SETTINGS).orElseThrow(), "a resumed state picks the same job");
            jobs.add(List.of(j.rung(), j.configuration(), j.sample(), j.epochs(), j.proposes() ? 1 : 0));
            if (j.proposes()) {
                s = s.withConfiguration(j.bracket(), point(j.configuration()));
            }
            state[0] = s.withEvaluation(new NagoEvaluation(j.bracket(), j.rung(), j.configuration(), j.sample(), j.epochs(),
                    accuracy(j.rung(), j.configuration() % 4, j.sample()), 100, 1000, 10, 0.1));
        }
    }

    @Test
    void runsTheFirstBracketRungByRungAndPromotesByMeanAccuracy() {
        BohbState[] state = {BohbState.start()};
        assertTrue(state[0].bracketUnstarted());
        List<List<Integer>> jobs = run(state);
        assertEquals(List.of(
                List.of(0, 0, 0, 1, 1), List.of(0, 0, 1, 1, 0), List.of(0, 1, 0, 1, 1), List.of(0, 1, 1, 1, 0),
                List.of(0, 2, 0, 1, 1), List.of(0, 2, 1, 1, 0), List.of(0, 3, 0, 1, 1), List.of(0, 3, 1, 1, 0),
                // 1 and 3 tie at rung 0: both go on, the earlier first
                List.of(1, 1, 0, 2, 0), List.of(1, 1, 1, 2, 0), List.of(1, 3, 0, 2, 0), List.of(1, 3, 1, 2, 0),
                // 3 is better at rung 1 (0.955 against 0.925)
                List.of(2, 3, 0, 4, 0), List.of(2, 3, 1, 4, 0)), jobs);
        int epochs = jobs.stream().mapToInt(j -> j.get(3)).sum();
        assertEquals(24, epochs);
        assertEquals(epochs, SETTINGS.epochsOf(SETTINGS.bracket(0)));

        BohbState s = state[0];
        BohbState.Scored best = s.best(2).orElseThrow();
        assertEquals(3, best.configuration());
        assertEquals(4, best.epochs());
        assertEquals(0.955, best.meanAccuracy(), 1e-12);
        assertEquals(1, s.bestSample(best).sample(), "the more accurate of its two networks");

        Map<Double, List<org.spidernet.search.bohb.Observation>> obs = s.observations(2);
        assertEquals(4, obs.get(1.0).size());
        assertEquals(2, obs.get(2.0).size());
        assertEquals(1, obs.get(4.0).size());
        assertEquals(-0.955, obs.get(4.0).get(0).loss(), 1e-12);
        assertEquals(point(3), obs.get(4.0).get(0).point());

        BohbState second = s.withBracketFinished();
        assertTrue(second.bracketUnstarted());
        NagoJob first = second.next(SETTINGS).orElseThrow();
        // bracket s = 1: 3 new configurations on 2 epochs, numbered after the first bracket's 4
        assertEquals(new NagoJob(1, 0, 4, 0, 2, true), first);
        assertEquals(3, SETTINGS.bracket(1).initialConfigurations());
        assertEquals(0, SETTINGS.bracket(2).s(), "the third bracket is s = 0");
        assertEquals(2, SETTINGS.bracket(3).s(), "then Hyperband starts over");
    }

    @Test
    void aConfigurationIsScoredOnlyOnceAllItsSamplesAreTrained() {
        BohbState s = BohbState.start().withConfiguration(0, point(0))
                .withEvaluation(new NagoEvaluation(0, 0, 0, 0, 1, 0.7, 100, 1000, 10, 0.1));
        assertTrue(s.observations(2).isEmpty());
        assertTrue(s.best(2).isEmpty());
        assertFalse(s.bracketUnstarted());
        assertEquals(1, s.observations(1).get(1.0).size());
    }

    @Test
    void refusesAMalformedSnapshot() {
        Map<String, double[]> t = new java.util.HashMap<>(BohbState.start().toTensors());
        t.remove("nago/evaluations");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BohbState.fromTensors(t));
        assertTrue(e.getMessage().contains("nago/evaluations"), e.getMessage());
    }
}
