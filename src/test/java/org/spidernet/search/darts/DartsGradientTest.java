package org.spidernet.search.darts;

import org.junit.jupiter.api.Test;
import org.spidernet.exec.NetworkFiniteDifferences;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.ir.AlphaGroup;
import org.spidernet.graph.ir.Architecture;

import java.util.List;
import java.util.Random;

/**
 * Whole DARTS networks against central finite differences on the float64 reference backend: a
 * supernet (mixed edges over shared alpha rows, factorized reduce with its shifted path, concat
 * outputs, odd extents: 7 -> 4 -> 2) on its parameters and its alphas, and a derived network on
 * its parameters; step and tolerance: {@link CentralDifference}.
 */
class DartsGradientTest {
    private static final DartsSkeleton TINY = new DartsSkeleton(new InputSpec(1, 7, 7, 3), 2, 3);

    @Test
    void supernetParametersAndAlphasMatchFiniteDifferences() {
        long seed = System.nanoTime();
        check(DartsLowering.supernet(TINY, AlphaGroup.Mixing.SOFTMAX), seed, 12);
    }

    @Test
    void derivedNetworkParametersMatchFiniteDifferences() {
        long seed = System.nanoTime();
        Genotype g = RandomGenotypes.draw(new Random(seed));
        // every cell has a skip_connect from an input, so the reduction cells run factorized reduce on their edges
        check(new DartsNetwork(TINY, withSkips(g)).lower(), seed, 20);
    }

    private static Genotype withSkips(Genotype g) {
        List<Genotype.Edge> normal = new java.util.ArrayList<>(g.normal());
        List<Genotype.Edge> reduce = new java.util.ArrayList<>(g.reduce());
        normal.set(0, new Genotype.Edge(DartsOp.SKIP_CONNECT, 0));
        reduce.set(0, new Genotype.Edge(DartsOp.SKIP_CONNECT, 1));
        return new Genotype(normal, reduce);
    }

    private static void check(Architecture a, long seed, int trials) {
        NetworkFiniteDifferences.check(a, 2, seed, trials);
    }
}
