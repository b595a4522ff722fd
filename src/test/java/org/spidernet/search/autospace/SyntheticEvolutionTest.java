package org.spidernet.search.autospace;

import org.junit.jupiter.api.Test;
import org.spidernet.search.darts.DartsOp;

import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The evolution loop without a supernet: a synthetic score (more sep_conv_3x3 edges score higher)
 * stands in for the mixing weights, so the loop's guarantees can be checked on many steps in
 * milliseconds.
 */
class SyntheticEvolutionTest {
    private static final int POPULATION = 16;
    private static final int MIXED = 4;
    private static final int TOURNAMENT = 3;
    private static final double OP_RATE = 0.7;
    private static final double MOMENTUM = 0.5;
    private static final int STEPS = 30;
    private static final long[] SEEDS = {1, 2, 3, 4, 5, 6};

    @Test
    void withMixingWeightsTheBestAfterEachUpdateSurvivesAndTheBestCellGainsSep3Edges() {
        for (long seed : SEEDS) {
            Random r = new Random(seed);
            LayerPopulation pop = LayerPopulation.initial(POPULATION, r);
            AutoCell first = pop.cell(pop.best());
            for (int step = 0; step < STEPS; step++) {
                List<AutoCell> mix = MixSelection.pick(pop, MIXED, TOURNAMENT, OP_RATE, c -> true, r);
                LayerPopulation weighed = pop.withEvaluated(mix, weightValues(mix), MOMENTUM).aged();
                pop = weighed.admit(POPULATION);
                assertEquals(weighed.cell(weighed.best()), pop.cell(pop.best()),
                        "seed " + seed + " step " + step + ": the best was removed");
                assertEquals(POPULATION, pop.size());
            }
            AutoCell last = pop.cell(pop.best());
            assertTrue(sep3(last) > sep3(first), "seed " + seed + ": best " + last + " vs initial " + first);
        }
    }

    @Test
    void withAScorePerCellTheBestFitnessNeverFallsAndTheBestCellGainsSep3Edges() {
        // a mix-relative weight can lower the reference's fitness when its children are better, so
        // the best fitness is monotone only when a cell's value does not depend on its company
        for (long seed : SEEDS) {
            Random r = new Random(seed);
            LayerPopulation pop = LayerPopulation.initial(POPULATION, r);
            AutoCell first = pop.cell(pop.best());
            double best = pop.members().get(pop.best()).fitness();
            for (int step = 0; step < STEPS; step++) {
                List<AutoCell> mix = MixSelection.pick(pop, MIXED, TOURNAMENT, OP_RATE, c -> true, r);
                pop = pop.withEvaluated(mix, mix.stream().mapToDouble(SyntheticEvolutionTest::score).toArray(), MOMENTUM)
                        .aged().admit(POPULATION);
                double now = pop.members().get(pop.best()).fitness();
                assertTrue(now >= best, "seed " + seed + " step " + step + ": best fitness " + best + " -> " + now);
                best = now;
            }
            AutoCell last = pop.cell(pop.best());
            assertTrue(sep3(last) > sep3(first), "seed " + seed + ": best " + last + " vs initial " + first);
            assertEquals(score(last), best, 1e-12);
        }
    }

    /** The fitness values of mixing weights proportional to the score, as a supernet's softmax would give. */
    private static double[] weightValues(List<AutoCell> mix) {
        ToDoubleFunction<AutoCell> score = SyntheticEvolutionTest::score;
        double total = mix.stream().mapToDouble(score).sum();
        return mix.stream().mapToDouble(c -> FitnessUpdate.value(score.applyAsDouble(c) / total, mix.size())).toArray();
    }

    private static double score(AutoCell c) {
        return 1 + sep3(c) / 4.0;
    }

    private static int sep3(AutoCell c) {
        return (int) c.edges().stream().filter(e -> e.op() == DartsOp.SEP_CONV_3X3).count();
    }
}
