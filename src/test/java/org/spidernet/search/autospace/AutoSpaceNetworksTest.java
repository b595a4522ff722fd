package org.spidernet.search.autospace;

import org.junit.jupiter.api.Test;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.MixedCellBackendsTest;
import org.spidernet.exec.NetworkFiniteDifferences;
import org.spidernet.exec.PlanOptions;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.ir.AlphaGroup;
import org.spidernet.graph.ir.Architecture;
import org.spidernet.graph.ir.Node;
import org.spidernet.graph.ir.NodeOp;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AutoSpace's lowering: a mix's alpha group and conv count follow from its cells; a mix (softmax
 * and Gumbel) and a single network match finite differences on the reference backend (parameters
 * and alphas) and agree across backends ({@link MixedCellBackendsTest#agree}), with cells drawn
 * at random ({@link RandomCells}) beside fixed ones for the corner cases: an all-skip cell (the
 * layer is a chain of identities), a cell whose four nodes are all loose ends, and one whose
 * nodes read two inputs each.
 */
class AutoSpaceNetworksTest {
    /** Layer 0 keeps the stem's width (no entry), layer 1 doubles it at stride 2 (an entry). */
    private static final TargetNetwork TINY = target(8);
    private static final AutoCell ALL_SKIP = AutoCell.parse("0>1:skip_connect 1>2:skip_connect 2>3:skip_connect 3>4:skip_connect");
    private static final AutoCell LOOSE_ENDS = AutoCell.parse("0>1:sep_conv_3x3 0>2:dil_conv_3x3 0>3:max_pool_3x3 0>4:avg_pool_3x3");
    private static final AutoCell TWO_INPUTS = AutoCell.parse(
            "0>1:sep_conv_5x5 0>2:skip_connect 1>2:dil_conv_5x5 1>3:avg_pool_3x3 2>3:sep_conv_3x3 0>4:max_pool_3x3 3>4:dil_conv_3x3");

    private static TargetNetwork target(int side) {
        return new TargetNetwork(new InputSpec(1, side, side, 3), 2, 1, List.of(new TargetLayer(2, 1), new TargetLayer(4, 2)));
    }

    private static CellChoices choices(TargetNetwork t, Random r) {
        return new CellChoices(t, List.of(
                List.of(ALL_SKIP, LOOSE_ENDS, other(r, ALL_SKIP, LOOSE_ENDS)),
                List.of(TWO_INPUTS, ALL_SKIP, other(r, TWO_INPUTS, ALL_SKIP))));
    }

    private static AutoCell other(Random r, AutoCell a, AutoCell b) {
        while (true) {
            AutoCell c = RandomCells.draw(r);
            if (!c.equals(a) && !c.equals(b)) {
                return c;
            }
        }
    }

    /** Convs a cell's ops imply: a separable conv is two depthwise + pointwise pairs, a dilated one one pair. */
    private static int convs(AutoCell c) {
        int n = 0;
        for (AutoCell.Edge e : c.edges()) {
            String op = e.op().jsonName();
            n += op.startsWith("sep_conv") ? 4 : op.startsWith("dil_conv") ? 2 : 0;
        }
        return n;
    }

    /** Layers whose width or resolution changes get an entry conv; the stem is one more. */
    private static int frameConvs(TargetNetwork t) {
        int n = 1;
        int width = t.stemChannels();
        for (TargetLayer l : t.layers()) {
            n += l.stride() != 1 || l.channels() != width ? 1 : 0;
            width = l.channels();
        }
        return n;
    }

    private static long convNodes(Architecture a) {
        return a.nodes().stream().filter(n -> n.op() instanceof NodeOp.Conv).count();
    }

    @Test
    void aMixHasOneAlphaRowPerLayerAndTheConvsItsCellsImply() {
        long seed = System.nanoTime();
        CellChoices c = choices(TINY, new Random(seed));
        Architecture a = new AutoMix(c, AlphaGroup.Mixing.SOFTMAX).lower();
        assertEquals(1, a.alphas().size());
        AlphaGroup g = a.alphas().get(0);
        assertEquals(AutoMix.ALPHAS, g.name());
        assertEquals(TINY.size(), g.rows());
        assertEquals(c.width(), g.choices().size());
        assertEquals(AlphaGroup.Mixing.SOFTMAX, g.mixing());
        assertEquals(2, frameConvs(TINY), "the stem and layer 1's entry");
        int cellConvs = c.cells().stream().flatMap(List::stream).mapToInt(AutoSpaceNetworksTest::convs).sum();
        assertEquals(cellConvs + frameConvs(TINY), convNodes(a), "seed " + seed + ": cells " + c.cells());
        assertEquals(TINY.size(), a.nodes().stream().filter(n -> n.op() instanceof NodeOp.WeightedSum).count());
        ExecutionPlan plan = ExecutionPlan.compile(a, 2, 8, PlanOptions.TRAINING);
        assertEquals(TINY.size() * c.width(), plan.architecture().alphas().get(0).size());
        assertEquals(AlphaGroup.Mixing.GUMBEL, new AutoMix(c, AlphaGroup.Mixing.GUMBEL).lower().alphas().get(0).mixing());

        // a network picked from the mix is the mix without the other cells
        Architecture one = c.network(new int[]{1, 2}).lower();
        assertTrue(one.alphas().isEmpty());
        assertEquals(convs(LOOSE_ENDS) + convs(c.cells().get(1).get(2)) + frameConvs(TINY), convNodes(one),
                "seed " + seed + ": layer 1's cell " + c.cells().get(1).get(2));
    }

    @Test
    void anAllSkipCellIsAChainOfIdentitiesAndLooseEndsAreSummed() {
        Architecture skips = new AutoNetwork(TINY, List.of(ALL_SKIP, ALL_SKIP)).lower();
        assertEquals(frameConvs(TINY), convNodes(skips));
        // from the head back: four identities, then layer 1's entry BN, then four identities, then the stem's BN
        Node x = skips.node(skips.node(skips.heads().get(0).node()).inputs().get(0));
        for (String stop : List.of("layer1.entry.bn", "stem.bn")) {
            for (int i = 0; i < AutoCell.NODES; i++) {
                assertInstanceOf(NodeOp.Identity.class, x.op(), x.name());
                x = skips.node(x.inputs().get(0));
            }
            assertEquals(stop, x.name());
            if (stop.startsWith("layer1")) {
                x = skips.node(skips.node(skips.node(x.inputs().get(0)).inputs().get(0)).inputs().get(0));
            }
        }

        assertEquals(4, LOOSE_ENDS.looseEnds().length);
        Architecture loose = new AutoNetwork(TINY, List.of(LOOSE_ENDS, TWO_INPUTS)).lower();
        Node out = loose.nodes().stream().filter(n -> n.name().equals("layer0.out")).findFirst().orElseThrow();
        assertInstanceOf(NodeOp.Sum.class, out.op());
        assertEquals(4, out.inputs().size());
        long twoInputSums = loose.nodes().stream()
                .filter(n -> n.name().startsWith("layer1.n") && n.op() instanceof NodeOp.Sum && n.inputs().size() == 2).count();
        assertEquals(3, twoInputSums, "nodes 2, 3 and 4 of the two-input cell");
        assertTrue(loose.nodes().stream().noneMatch(n -> n.name().equals("layer1.out")), "one loose end needs no sum");
    }

    @Test
    void mixAndNetworkMatchFiniteDifferences() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        CellChoices c = choices(TINY, r);
        NetworkFiniteDifferences.check(new AutoMix(c, AlphaGroup.Mixing.SOFTMAX).lower(), 2, seed, 16);
        NetworkFiniteDifferences.check(c.network(new int[]{r.nextInt(3), r.nextInt(3)}).lower(), 2, seed, 16);
        NetworkFiniteDifferences.check(new AutoNetwork(TINY, List.of(RandomCells.draw(r), RandomCells.draw(r))).lower(), 2,
                seed, 16);
    }

    @Test
    void mixesAndNetworksAgreeAcrossBackends() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        // 12 x 12 -> 6 at batch 4: BatchNorm over at least 144 values
        TargetNetwork t = target(12);
        CellChoices c = choices(t, r);
        List<String> compared = new ArrayList<>();
        compared.addAll(MixedCellBackendsTest.agree(new AutoMix(c, AlphaGroup.Mixing.SOFTMAX).lower(), 4, "autospace-mix", seed));
        compared.addAll(MixedCellBackendsTest.agree(new AutoMix(c, AlphaGroup.Mixing.GUMBEL).lower(), 4, "autospace-gumbel", seed));
        compared.addAll(MixedCellBackendsTest.agree(c.network(new int[]{1, 0}).lower(), 4, "autospace-network", seed));
        System.out.println("AutoSpaceNetworksTest: compared " + compared + " with the reference, seed " + seed);
        assertTrue(compared.containsAll(List.of("cpu/autospace-mix", "cpu/autospace-gumbel", "cpu/autospace-network")),
                "compared: " + compared);
    }
}
