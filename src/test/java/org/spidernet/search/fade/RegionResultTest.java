package org.spidernet.search.fade;

import org.junit.jupiter.api.Test;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.dag.Dag;
import org.spidernet.graph.dag.DagLibrary;
import org.spidernet.graph.ir.AlphaGroup;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A region's ranks: log-softmax rows sum to one in probability, and the best-first top-k equals
 * the first k of all N^S architectures enumerated and sorted in the test (fresh random weights,
 * seed in the message; scores compared within 1e-12).
 */
class RegionResultTest {

    static FadeRegion region(int stages, int width, long seed) {
        DagLibrary lib = DagLibrary.of(3, 4);
        Random r = new Random(seed);
        List<List<Dag>> cands = new ArrayList<>();
        for (int s = 0; s < stages; s++) {
            List<Dag> all = new ArrayList<>(lib.all());
            java.util.Collections.shuffle(all, r);
            cands.add(all.subList(0, width));
        }
        return new FadeRegion(FadeSkeleton.of(InputSpec.FASHION_MNIST, stages, 2, 0), cands, AlphaGroup.Mixing.SOFTMAX);
    }

    @Test
    void logSoftmaxRowsAreNormalised() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        double[] a = new double[12];
        for (int i = 0; i < a.length; i++) {
            a[i] = 20 * r.nextGaussian();
        }
        double[][] l = RegionResult.logSoftmax(a, 3, 4);
        for (double[] row : l) {
            double sum = 0;
            for (double v : row) {
                sum += Math.exp(v);
            }
            assertEquals(1.0, sum, 1e-12, "seed " + seed);
        }
        assertEquals(a[1] - a[0], l[0][1] - l[0][0], 1e-12, "seed " + seed);
    }

    @Test
    void topKIsThePrefixOfTheFullEnumeration() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        int stages = 3;
        int width = 4;
        FadeRegion region = region(stages, width, seed);
        double[][] lw = new double[stages][width];
        for (int s = 0; s < stages; s++) {
            double[] a = new double[width];
            for (int i = 0; i < width; i++) {
                a[i] = r.nextGaussian();
            }
            lw[s] = RegionResult.logSoftmax(a, 1, width)[0];
        }
        RegionResult res = new RegionResult(region, lw, 0.5);
        List<int[]> all = new ArrayList<>();
        for (int i = 0; i < width * width * width; i++) {
            all.add(new int[]{i / (width * width), (i / width) % width, i % width});
        }
        all.sort(Comparator.comparingDouble((int[] p) -> -(lw[0][p[0]] + lw[1][p[1]] + lw[2][p[2]])));
        List<RegionResult.Ranked> top = res.top(10);
        assertEquals(10, top.size());
        for (int k = 0; k < top.size(); k++) {
            int[] p = all.get(k);
            assertEquals(lw[0][p[0]] + lw[1][p[1]] + lw[2][p[2]], top.get(k).score(), 1e-12, "seed " + seed + " rank " + k);
        }
        assertArrayEquals(all.get(0), res.best(), "seed " + seed);
        assertEquals(width * width * width, res.top(1000).size(), "every architecture once");
    }
}
