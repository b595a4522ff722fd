package org.spidernet.search.autospace;

import org.junit.jupiter.api.Test;
import org.spidernet.graph.InputSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The state a snapshot carries reads back as it was (populations with fitness, age and
 * evaluations; every step's mixed cells, weights and figures); a missing or malformed tensor is an
 * error naming it.
 */
class AutoSpaceStateTest {

    private static AutoSpaceState state(Random r, int layers, int k, int steps) {
        List<LayerPopulation> pops = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            LayerPopulation p = LayerPopulation.initial(6, r);
            double[] values = new double[k];
            for (int i = 0; i < k; i++) {
                values[i] = r.nextDouble() * k;
            }
            pops.add(p.aged().withEvaluated(p.top(k), values, 0.5));
        }
        List<StepRecord> records = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            List<List<AutoCell>> mixed = new ArrayList<>();
            List<double[]> w = new ArrayList<>();
            for (int l = 0; l < layers; l++) {
                mixed.add(pops.get(l).top(k));
                w.add(new double[]{r.nextDouble(), r.nextDouble(), r.nextDouble()});
            }
            records.add(new StepRecord(s, mixed, w, r.nextDouble(), r.nextInt(1000), r.nextInt(1 << 30), r.nextInt(1 << 30),
                    new double[]{r.nextDouble(), r.nextDouble()}, new double[]{r.nextDouble(), r.nextDouble()}));
        }
        return new AutoSpaceState(pops, records);
    }

    @Test
    void tensorsReadBackAsTheyWere() {
        long seed = System.nanoTime();
        AutoSpaceState s = state(new Random(seed), 2, 3, 2);
        AutoSpaceState back = AutoSpaceState.fromTensors(s.toTensors(), 2, 3, 2);
        assertEquals(s.populations(), back.populations(), "seed " + seed);
        assertEquals(s.reference(), back.reference());
        for (int i = 0; i < 2; i++) {
            StepRecord a = s.steps().get(i);
            StepRecord b = back.steps().get(i);
            assertEquals(a.mixed(), b.mixed());
            assertArrayEquals(a.weights().get(1), b.weights().get(1), 0.0);
            assertEquals(a.supernetAccuracy(), b.supernetAccuracy(), 0.0);
            assertEquals(a.plannedPeakBytes(), b.plannedPeakBytes());
            assertArrayEquals(a.bestFitness(), b.bestFitness(), 0.0);
        }
        LearnedSpace learned = back.learned(TargetNetwork.small(InputSpec.FASHION_MNIST, 4, 1, 1), 3);
        assertEquals(back.reference(), learned.choices().cells().stream().map(c -> c.get(0)).toList(),
                "the learned space is headed by each layer's best cell");
    }

    @Test
    void aMissingOrMalformedTensorIsNamed() {
        Map<String, double[]> t = state(new Random(5), 2, 3, 1).toTensors();
        Map<String, double[]> missing = new java.util.HashMap<>(t);
        missing.remove("autospace/step/0/weights");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AutoSpaceState.fromTensors(missing, 2, 3, 1));
        assertEquals("AutoSpace snapshot: tensor autospace/step/0/weights missing", e.getMessage());
        Map<String, double[]> bad = new java.util.HashMap<>(t);
        double[] pop = bad.get("autospace/population/1").clone();
        pop[1] = 99; // an op ordinal that does not exist
        bad.put("autospace/population/1", pop);
        e = assertThrows(IllegalArgumentException.class, () -> AutoSpaceState.fromTensors(bad, 2, 3, 1));
        assertTrue(e.getMessage().startsWith("AutoSpace snapshot: autospace/population/1 member 0: not a cell"), e.getMessage());
    }
}
