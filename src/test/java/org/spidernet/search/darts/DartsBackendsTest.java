package org.spidernet.search.darts;

import org.junit.jupiter.api.Test;
import org.spidernet.exec.MixedCellBackendsTest;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.ir.AlphaGroup;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A DARTS supernet (softmax and Gumbel) and a derived network with factorized reduces on the cpu
 * backend and on CUDA's emulated device against the reference, one training step each (see
 * {@link MixedCellBackendsTest#agree} for what is compared and the tolerance): concat, the offset
 * subsample and the weighted sums run through every backend's own kernels.
 */
class DartsBackendsTest {

    @Test
    void dartsNetworksAgreeAcrossBackends() {
        long seed = System.nanoTime();
        // 12 x 12 -> 6 -> 3 at batch 4: BatchNorm over at least 36 values, so float32 stays near 1e-6 relative
        DartsSkeleton s = new DartsSkeleton(new InputSpec(1, 12, 12, 3), 2, 3);
        List<String> compared = new ArrayList<>();
        compared.addAll(MixedCellBackendsTest.agree(DartsLowering.supernet(s, AlphaGroup.Mixing.SOFTMAX), 4, "supernet", seed));
        compared.addAll(MixedCellBackendsTest.agree(DartsLowering.supernet(s, AlphaGroup.Mixing.GUMBEL), 4, "gumbel", seed));
        Genotype g = RandomGenotypes.draw(new Random(seed));
        List<Genotype.Edge> reduce = new ArrayList<>(g.reduce());
        reduce.set(0, new Genotype.Edge(DartsOp.SKIP_CONNECT, 0));
        compared.addAll(MixedCellBackendsTest.agree(new DartsNetwork(s, new Genotype(g.normal(), reduce)).lower(), 4, "derived", seed));
        System.out.println("DartsBackendsTest: compared " + compared + " with the reference");
        assertTrue(compared.containsAll(List.of("cpu/supernet", "cpu/gumbel", "cpu/derived")), "compared: " + compared);
    }
}
