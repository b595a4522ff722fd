package org.spidernet.search.fade;

import org.junit.jupiter.api.Test;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.MixedCellBackendsTest;
import org.spidernet.exec.NetworkFiniteDifferences;
import org.spidernet.exec.PlanOptions;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.dag.Dag;
import org.spidernet.graph.dag.DagLibrary;
import org.spidernet.graph.ir.AlphaGroup;
import org.spidernet.graph.ir.Architecture;
import org.spidernet.graph.ir.NodeOp;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FaDE's lowering: the conv count and alpha group of a region follow from its cells; a region
 * (softmax and Gumbel) and a single network match finite differences on the reference backend
 * (parameters and alphas) and agree across backends ({@link MixedCellBackendsTest#agree}), with
 * cells drawn at random from the library beside fixed ones that exercise the corner cases: an
 * edgeless cell (sources that are sinks, summed), several sources and several sinks.
 */
class FadeNetworksTest {
    private static final FadeSkeleton TINY = FadeSkeleton.of(new InputSpec(1, 8, 8, 3), 2, 2, 1);
    private static final Dag EDGELESS = Dag.parse("3:");
    private static final Dag DIAMOND = Dag.parse("4:0-1,0-2,1-3,2-3");
    private static final Dag TWO_SOURCES_TWO_SINKS = Dag.parse("4:0-2,1-2,1-3");

    private static FadeRegion region(Random r, AlphaGroup.Mixing mixing) {
        DagLibrary lib = DagLibrary.of(3, 5);
        List<List<Dag>> stages = new ArrayList<>();
        stages.add(List.of(EDGELESS, DIAMOND, other(lib, r, EDGELESS, DIAMOND)));
        stages.add(List.of(TWO_SOURCES_TWO_SINKS, DIAMOND, other(lib, r, TWO_SOURCES_TWO_SINKS, DIAMOND)));
        return new FadeRegion(TINY, stages, mixing);
    }

    private static Dag other(DagLibrary lib, Random r, Dag a, Dag b) {
        while (true) {
            Dag d = lib.get(r.nextInt(lib.size()));
            if (!d.equals(a.canonical()) && !d.equals(b.canonical())) {
                return d;
            }
        }
    }

    @Test
    void aRegionHasOneAlphaRowPerStageAndAConvPerDagEdge() {
        FadeRegion region = region(new Random(1), AlphaGroup.Mixing.SOFTMAX);
        Architecture a = region.lower();
        assertEquals(1, a.alphas().size());
        assertEquals(TINY.size(), a.alphas().get(0).rows());
        assertEquals(region.width(), a.alphas().get(0).choices().size());
        int edges = region.candidates().stream().flatMap(List::stream).mapToInt(Dag::edgeCount).sum();
        long convs = a.nodes().stream().filter(n -> n.op() instanceof NodeOp.Conv).count();
        assertEquals(edges + TINY.size(), convs, "a conv per DAG edge plus each stage's entry");
        ExecutionPlan plan = ExecutionPlan.compile(a, 2, 8, PlanOptions.TRAINING);
        assertEquals(TINY.size() * region.width(), plan.architecture().alphas().get(0).size());
        // a single network of the region is the region without its other candidates
        Architecture one = region.architecture(new int[]{1, 2}).lower();
        assertTrue(one.alphas().isEmpty());
        assertEquals(DIAMOND.edgeCount() + region.candidates().get(1).get(2).edgeCount() + TINY.size(),
                one.nodes().stream().filter(n -> n.op() instanceof NodeOp.Conv).count());
    }

    @Test
    void regionAndNetworkMatchFiniteDifferences() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        FadeRegion region = region(r, AlphaGroup.Mixing.SOFTMAX);
        NetworkFiniteDifferences.check(region.lower(), 2, seed, 16);
        NetworkFiniteDifferences.check(region.architecture(new int[]{r.nextInt(3), r.nextInt(3)}).lower(), 2, seed, 16);
    }

    @Test
    void regionsAndNetworksAgreeAcrossBackends() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        // 12 x 12 -> 6 at batch 4: BatchNorm over at least 144 values
        FadeSkeleton s = FadeSkeleton.of(new InputSpec(1, 12, 12, 3), 2, 2, 1);
        FadeRegion softmax = new FadeRegion(s, region(r, AlphaGroup.Mixing.SOFTMAX).candidates(), AlphaGroup.Mixing.SOFTMAX);
        FadeRegion gumbel = new FadeRegion(s, softmax.candidates(), AlphaGroup.Mixing.GUMBEL);
        List<String> compared = new ArrayList<>();
        compared.addAll(MixedCellBackendsTest.agree(softmax.lower(), 4, "fade-region", seed));
        compared.addAll(MixedCellBackendsTest.agree(gumbel.lower(), 4, "fade-gumbel", seed));
        compared.addAll(MixedCellBackendsTest.agree(softmax.architecture(new int[]{0, 1}).lower(), 4, "fade-network", seed));
        System.out.println("FadeNetworksTest: compared " + compared + " with the reference");
        assertTrue(compared.containsAll(List.of("cpu/fade-region", "cpu/fade-gumbel", "cpu/fade-network")), "compared: " + compared);
    }
}
