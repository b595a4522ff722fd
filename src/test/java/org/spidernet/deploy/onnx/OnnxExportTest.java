package org.spidernet.deploy.onnx;

import ai.onnxruntime.OrtException;
import org.junit.jupiter.api.Test;
import org.spidernet.data.ChannelStats;
import org.spidernet.exec.GateSpec;
import org.spidernet.exec.Network;
import org.spidernet.exec.PlanOptions;
import org.spidernet.graph.Cell;
import org.spidernet.graph.Edge;
import org.spidernet.graph.EdgeSplit;
import org.spidernet.graph.Genome;
import org.spidernet.graph.GenomeJson;
import org.spidernet.graph.GenomeLowering;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.OpType;
import org.spidernet.graph.ir.AlphaGroup;
import org.spidernet.graph.ir.Architecture;
import org.spidernet.graph.ir.Node;
import org.spidernet.graph.ir.NodeOp;
import org.spidernet.deploy.onnx.proto.ModelProto;
import org.spidernet.deploy.onnx.proto.NodeProto;
import org.spidernet.deploy.onnx.proto.StringStringEntryProto;
import org.spidernet.deploy.onnx.proto.TensorProto;
import org.spidernet.search.ArchitectureSpace;
import org.spidernet.search.ArchitectureSpaces;
import org.spidernet.search.autospace.AutoCell;
import org.spidernet.search.autospace.AutoMix;
import org.spidernet.search.autospace.AutoNetwork;
import org.spidernet.search.autospace.AutoSpaceJson;
import org.spidernet.search.autospace.CellChoices;
import org.spidernet.search.autospace.RandomCells;
import org.spidernet.search.autospace.TargetLayer;
import org.spidernet.search.autospace.TargetNetwork;
import org.spidernet.search.darts.DartsNetwork;
import org.spidernet.search.darts.DartsNetworkJson;
import org.spidernet.search.darts.DartsSkeleton;
import org.spidernet.search.darts.DartsSupernet;
import org.spidernet.search.darts.RandomGenotypes;
import org.spidernet.search.fade.FadeJson;
import org.spidernet.search.fade.FadeNetwork;
import org.spidernet.search.fade.FadeRegion;
import org.spidernet.search.fade.FadeSkeleton;
import org.spidernet.search.fade.RegionSampler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exported models run in ONNX Runtime give the engine's eval-mode logits: every case draws fresh
 * weights, BN statistics, alphas and images (the seed is in the failure message), runs the
 * float64 reference backend, and requires {@code ||onnx - engine|| / ||engine|| <= 1e-4} over a
 * batch of {@value EvalNetworks#BATCH}, and again for the first image alone (the batch dimension
 * is symbolic). 1e-4 leaves room for float32 weights and arithmetic (measured errors are ~1e-7),
 * while a wrong epsilon, a missed running statistic or mixing factor, or a misplaced pad moves
 * the logits by far more.
 */
class OnnxExportTest {
    private static final double TOLERANCE = 1e-4;
    private static final ChannelStats MNIST_STATS = new ChannelStats(new double[] {0.2860}, new double[] {0.3530});

    @Test
    void initialNetsMatchTheEngine() throws OrtException {
        long seed = new Random().nextLong();
        Random r = new Random(seed);
        for (InputSpec in : List.of(new InputSpec(1, 28, 28, 10), new InputSpec(3, 32, 32, 10))) {
            Architecture a = GenomeLowering.lower(Genome.initial(in, 4, 2));
            assertMatches("initial net " + in + ", seed " + seed, a, PlanOptions.TRAINING, null, null, r);
        }
    }

    @Test
    void grownNetsWithAndWithoutNormalisationMatchTheEngine() throws OrtException {
        long seed = new Random().nextLong();
        Random r = new Random(seed);
        ChannelStats cifar = new ChannelStats(new double[] {0.49, 0.48, 0.45}, new double[] {0.25, 0.24, 0.26});
        assertMatches("grown net, 1x28x28 with stats, seed " + seed,
                GenomeLowering.lower(grown(new InputSpec(1, 28, 28, 10), 5, r)), PlanOptions.TRAINING, MNIST_STATS, null, r);
        assertMatches("grown net, 3x15x13 with stats, seed " + seed,
                GenomeLowering.lower(grown(new InputSpec(3, 15, 13, 7), 6, r)), PlanOptions.TRAINING, cifar, null, r);
        assertMatches("grown net, 3x15x13 without stats, seed " + seed,
                GenomeLowering.lower(grown(new InputSpec(3, 15, 13, 7), 6, r)), PlanOptions.TRAINING, null, null, r);
    }

    @Test
    void aChannelWithStdZeroIsOnlyCentredAsInTheEngine() throws OrtException {
        long seed = new Random().nextLong();
        Random r = new Random(seed);
        ChannelStats flat = new ChannelStats(new double[] {0.5, 0.3}, new double[] {0.0, 0.2});
        assertMatches("std 0, seed " + seed, GenomeLowering.lower(Genome.initial(new InputSpec(2, 9, 9, 3), 2, 1)),
                PlanOptions.TRAINING, flat, null, r);
    }

    @Test
    void aNetworkCompiledWithoutBatchNormExportsWithoutIt() throws OrtException {
        long seed = new Random().nextLong();
        Random r = new Random(seed);
        Architecture a = GenomeLowering.lower(grown(new InputSpec(1, 12, 12, 5), 3, r));
        ModelProto m = assertMatches("no BN, seed " + seed, a, PlanOptions.TRAINING.withoutBatchNorm(), null, null, r);
        assertTrue(m.getGraph().getNodeList().stream().noneMatch(n -> n.getOpType().equals("BatchNormalization")));
    }

    /** Every registered space, with a random network of it; a new space fails here until it is covered. */
    @Test
    void randomNetworksOfEverySpaceMatchTheEngine() throws OrtException {
        long seed = new Random().nextLong();
        Random r = new Random(seed);
        InputSpec odd = new InputSpec(3, 13, 13, 10);
        Map<String, List<String>> networks = new TreeMap<>();
        networks.put("spidernet", List.of(GenomeJson.write(randomOps(grown(odd, 4, r), r))));
        networks.put("darts", List.of(DartsNetworkJson.write(new DartsNetwork(new DartsSkeleton(odd, 4, 3), RandomGenotypes.draw(r)))));
        networks.put("darts-supernet", List.of(
                DartsNetworkJson.write(new DartsSupernet(new DartsSkeleton(odd, 2, 3), AlphaGroup.Mixing.SOFTMAX)),
                DartsNetworkJson.write(new DartsSupernet(new DartsSkeleton(odd, 2, 3), AlphaGroup.Mixing.GUMBEL))));
        org.spidernet.graph.dag.DagLibrary lib = org.spidernet.graph.dag.DagLibrary.fade();
        List<org.spidernet.graph.dag.Dag> centre = List.of(lib.get(r.nextInt(lib.size())), lib.get(r.nextInt(lib.size())));
        FadeSkeleton fs = FadeSkeleton.of(odd, 2, 2, 1);
        FadeRegion region = RegionSampler.sample(fs, centre, centre.stream().map(List::of).toList(), 2, 1, lib,
                AlphaGroup.Mixing.SOFTMAX, r.nextLong());
        networks.put("fade", List.of(FadeJson.write(new FadeNetwork(fs, centre))));
        networks.put("fade-region", List.of(FadeJson.write(region),
                FadeJson.write(new FadeRegion(fs, region.candidates(), AlphaGroup.Mixing.GUMBEL))));
        // odd widths, an entry at stride 1 (width change only) and one at stride 2
        TargetNetwork at = new TargetNetwork(odd, 3, 1, List.of(new TargetLayer(3, 1), new TargetLayer(5, 1), new TargetLayer(6, 2)));
        networks.put("autospace", List.of(AutoSpaceJson.write(new AutoNetwork(at,
                List.of(RandomCells.draw(r), RandomCells.draw(r), RandomCells.draw(r))))));
        CellChoices choices = new CellChoices(at, List.of(distinctCells(3, r), distinctCells(3, r), distinctCells(3, r)));
        networks.put("autospace-mix", List.of(AutoSpaceJson.write(new AutoMix(choices, AlphaGroup.Mixing.SOFTMAX)),
                AutoSpaceJson.write(new AutoMix(choices, AlphaGroup.Mixing.GUMBEL))));
        networks.put("nago", List.of(org.spidernet.search.nago.NagoJson.write(
                new org.spidernet.search.nago.NagoGenerator(4, 2, 0.5, 3, 0.6, 3, 2, 0.5).sample(odd, 2, r))));
        ChannelStats rgb = new ChannelStats(new double[] {0.49, 0.48, 0.45}, new double[] {0.25, 0.24, 0.26});
        assertEquals(ArchitectureSpaces.all().stream().map(ArchitectureSpace::name).collect(Collectors.toSet()),
                networks.keySet(), "every registered space needs a case here");
        for (Map.Entry<String, List<String>> e : networks.entrySet()) {
            for (String json : e.getValue()) {
                Architecture a = ArchitectureSpaces.require(e.getKey()).lower(json);
                assertMatches(e.getKey() + " " + (a.alphas().isEmpty() ? "" : a.alphas().get(0).mixing()) + ", seed "
                        + seed, a, PlanOptions.TRAINING, rgb, null, r);
            }
        }
    }

    /** {@code k} distinct random AutoSpace cells: a layer of a mix. */
    private static List<AutoCell> distinctCells(int k, Random r) {
        Set<AutoCell> cells = new java.util.LinkedHashSet<>();
        while (cells.size() < k) {
            cells.add(RandomCells.draw(r));
        }
        return List.copyOf(cells);
    }

    /** A GUMBEL supernet keeps one op per edge: far fewer initializers than the SOFTMAX one. */
    @Test
    void gumbelMixingKeepsOnlyTheStrongestOp() throws OrtException {
        long seed = new Random().nextLong();
        Random r = new Random(seed);
        DartsSkeleton s = new DartsSkeleton(new InputSpec(1, 8, 8, 4), 2, 3);
        ModelProto soft = assertMatches("softmax, seed " + seed, new DartsSupernet(s, AlphaGroup.Mixing.SOFTMAX).lower(),
                PlanOptions.TRAINING, null, null, r);
        ModelProto hard = assertMatches("gumbel, seed " + seed, new DartsSupernet(s, AlphaGroup.Mixing.GUMBEL).lower(),
                PlanOptions.TRAINING, null, null, r);
        long softMuls = soft.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Mul")).count();
        long hardMuls = hard.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Mul")).count();
        assertEquals(0, hardMuls, "a Gumbel row's one op has factor 1");
        assertTrue(softMuls > 0);
        assertTrue(hard.getGraph().getInitializerCount() < soft.getGraph().getInitializerCount() / 2,
                hard.getGraph().getInitializerCount() + " vs " + soft.getGraph().getInitializerCount());
    }

    /**
     * Gates closed by weight and by pruning, about half of each sum's (one kept open, so the image
     * still reaches the logits), and every gate of a node inserted by a split: that sum is a map of
     * zeros, which the BN after it still shifts, while the split's skip edge keeps the cell alive.
     * The engine's output, and the closed ops' weights are not in the model.
     */
    @Test
    void closedAndPrunedGatesAreFoldedAway() throws OrtException {
        long seed = new Random().nextLong();
        Random r = new Random(seed);
        Genome g = grown(new InputSpec(3, 15, 13, 7), 4, r);
        int cell = r.nextInt(g.cells().size());
        List<EdgeSplit> splits = EdgeSplit.candidates(g, cell);
        EdgeSplit split = splits.get(r.nextInt(splits.size()));
        Architecture a = GenomeLowering.lower(split.applyTo(g));
        String zeroSum = "cell" + cell + ".node" + split.to() + ".sum";
        List<String> closedConvs = new ArrayList<>();
        ModelProto m = assertMatches("closed gates, seed " + seed, a, PlanOptions.TRAINING, null, net -> {
            for (Node n : a.nodes()) {
                if (!(n.op() instanceof NodeOp.GatedSum sum)) {
                    continue;
                }
                boolean all = n.name().equals(zeroSum);
                int keep = all ? -1 : sum.gates().get(r.nextInt(sum.gates().size()));
                for (int gate : sum.gates()) {
                    if (gate == keep || !all && r.nextBoolean()) {
                        continue;
                    }
                    if (r.nextBoolean()) {
                        net.gateWeights()[gate] = -0.01 * r.nextDouble();
                    } else {
                        net.prune(gate);
                    }
                    closedConvs.addAll(convWeightsOf(a, gate));
                }
            }
        }, r);
        Set<String> initializers = initializerNames(m);
        assertFalse(closedConvs.isEmpty(), "the draw closed no conv op");
        for (String w : closedConvs) {
            assertFalse(initializers.contains(w), w + " belongs to a closed op but was exported");
        }
        List<String> ops = m.getGraph().getNodeList().stream().map(NodeProto::getName).toList();
        assertTrue(ops.contains(zeroSum) && ops.contains("stem.conv"), "the all-closed sum and the stem: " + ops);
        assertTrue(m.getGraph().getNodeList().stream().anyMatch(n -> n.getOpType().equals("ConstantOfShape")
                && n.getName().equals(zeroSum)), "the all-closed sum should be a map of zeros");
    }

    @Test
    void aPrunedOpsWeightsAreAbsentAndAnOpenOnesPresent() {
        Random r = new Random();
        Architecture a = GenomeLowering.lower(Genome.initial(new InputSpec(1, 8, 8, 3), 2, 1));
        try (Network net = EvalNetworks.bind(a, PlanOptions.TRAINING, r)) {
            int gate = gateOf(net, "sep_conv_3x3");
            List<String> weights = convWeightsOf(a, gate);
            assertEquals(4, weights.size(), "a separable conv has four convolutions: " + weights);
            Set<String> open = initializerNames(OnnxExport.of(net).model());
            assertTrue(open.containsAll(weights), "open op's weights missing: " + weights);
            net.prune(gate);
            Set<String> pruned = initializerNames(OnnxExport.of(net).model());
            weights.forEach(w -> assertFalse(pruned.contains(w), w + " of a pruned op was exported"));
            // the same through the weights map alone, the gate marked pruned explicitly
            Set<String> viaMap = initializerNames(OnnxExport.of(a, net.exportState()).withPrunedGates(Set.of(gate)).model());
            assertEquals(pruned, viaMap);
        }
    }

    @Test
    void theModelDeclaresItsContract() throws Exception {
        Architecture a = GenomeLowering.lower(Genome.initial(new InputSpec(1, 8, 8, 3), 2, 1));
        try (Network net = EvalNetworks.bind(a, PlanOptions.TRAINING, new Random())) {
            Path file = Files.createTempDirectory("onnx-export").resolve("net.onnx");
            OnnxExport.of(net).withNormalisation(MNIST_STATS).withProducerVersion("9.9").write(file);
            ModelProto m = ModelProto.parseFrom(Files.readAllBytes(file));
            assertEquals(OnnxExport.OPSET, m.getOpsetImport(0).getVersion());
            assertEquals("", m.getOpsetImport(0).getDomain());
            assertEquals("9.9", m.getProducerVersion());
            assertEquals("batch", m.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam());
            assertEquals(List.of("image"), m.getGraph().getInputList().stream().map(v -> v.getName()).toList());
            assertEquals(List.of("logits"), m.getGraph().getOutputList().stream().map(v -> v.getName()).toList());
            assertEquals(List.of("Sub", "Div"), m.getGraph().getNodeList().subList(0, 2).stream().map(NodeProto::getOpType).toList());
            Map<String, String> meta = new LinkedHashMap<>();
            for (StringStringEntryProto p : m.getMetadataPropsList()) {
                meta.put(p.getKey(), p.getValue());
            }
            assertEquals("[0.286]", meta.get("spidernet.normalisation.mean"));
            assertEquals("1", meta.get("spidernet.heads_dropped"));
            // auxiliary head dropped: only the last head's classifier weights are in the model
            Set<String> names = initializerNames(m);
            assertTrue(names.contains("cell1.head.weight") && !names.contains("cell0.head.weight"), names.toString());
        }
    }

    @Test
    void whatCannotBeExportedIsRefusedWithOneLineNamingTheEntry() {
        Architecture a = GenomeLowering.lower(Genome.initial(new InputSpec(1, 8, 8, 3), 2, 1));
        try (Network net = EvalNetworks.bind(a, PlanOptions.TRAINING, new Random())) {
            Map<String, double[]> state = net.exportState();
            double[] stem = state.get("stem.conv.weight");
            double kept = stem[3];
            stem[3] = 1e39;
            OnnxExportException e = assertThrows(OnnxExportException.class, () -> OnnxExport.of(a, state).model());
            assertEquals("weights: entry 'stem.conv.weight' value 3 is 1.0E39, not a finite float32 "
                    + "(a diverged network cannot be exported)", e.getMessage());
            stem[3] = kept;
            state.remove("cell1.head.bias");
            e = assertThrows(OnnxExportException.class, () -> OnnxExport.of(a, state).model());
            assertEquals("weights: entry 'cell1.head.bias' missing", e.getMessage());
            ChannelStats rgb = new ChannelStats(new double[] {0.5, 0.5, 0.5}, new double[] {0.2, 0.2, 0.2});
            e = assertThrows(OnnxExportException.class, () -> OnnxExport.of(net).withNormalisation(rgb).model());
            assertEquals("normalisation: 3 channel statistics for an input of 1 channels", e.getMessage());
            e = assertThrows(OnnxExportException.class, () -> OnnxExport.of(net).withPrunedGates(Set.of(999)));
            assertTrue(e.getMessage().startsWith("pruned gate 999 does not exist"), e.getMessage());
        }
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Binds the architecture with random eval state, lets {@code prepare} close gates, exports,
     * and requires ONNX Runtime's logits to match the engine's, for the batch and for image 0 alone.
     */
    private static ModelProto assertMatches(String what, Architecture a, PlanOptions options, ChannelStats stats,
                                            java.util.function.Consumer<Network> prepare, Random r) throws OrtException {
        try (Network net = EvalNetworks.bind(a, options, r)) {
            if (prepare != null) {
                prepare.accept(net);
            }
            OnnxExport export = OnnxExport.of(net).withNormalisation(stats);
            ModelProto model = export.model();
            byte[] bytes = model.toByteArray();
            OnnxRuntimeCheck.Logits l = OnnxRuntimeCheck.compare(net, bytes, stats, r);
            double err = l.relativeError();
            assertTrue(err <= TOLERANCE, what + ": relative error " + err + " > " + TOLERANCE + "\nengine "
                    + Arrays.toString(l.engine()) + "\nonnx   " + Arrays.toString(l.onnx()));
            double first = l.firstAloneRelativeError();
            assertTrue(first <= TOLERANCE, what + ": first image alone, relative error " + first + " > " + TOLERANCE);
            return model;
        }
    }

    /** The initial net grown by {@code splits} random edge splits. */
    static Genome grown(InputSpec in, int splits, Random r) {
        Genome g = Genome.initial(in, 4, 2);
        for (int i = 0; i < splits; i++) {
            int cell = r.nextInt(g.cells().size());
            List<EdgeSplit> c = EdgeSplit.candidates(g, cell);
            g = c.get(r.nextInt(c.size())).applyTo(g);
        }
        return g;
    }

    /** A random non-empty subset of the candidate ops on every edge (the space's sampler does this). */
    static Genome randomOps(Genome g, Random r) {
        Genome out = g;
        for (Cell c : g.cells()) {
            List<Edge> edges = new ArrayList<>();
            for (Edge e : c.edges()) {
                List<OpType> ops = new ArrayList<>();
                OpType.CANDIDATES.stream().filter(op -> r.nextBoolean()).forEach(ops::add);
                if (ops.isEmpty()) {
                    ops.add(OpType.CANDIDATES.get(r.nextInt(OpType.CANDIDATES.size())));
                }
                edges.add(new Edge(e.from(), e.to(), ops));
            }
            out = out.withCell(c.withEdges(c.nodes(), edges));
        }
        return out;
    }


    private static int gateOf(Network net, String op) {
        return net.plan().gates().stream().filter(g -> g.op().equals(op)).findFirst().orElseThrow().index();
    }

    /** Names of the conv weights of a gated op's nodes. */
    private static List<String> convWeightsOf(Architecture a, int gate) {
        return a.nodes().stream().filter(n -> n.gate() == gate && n.op() instanceof NodeOp.Conv)
                .map(n -> n.name() + ".weight").toList();
    }

    private static Set<String> initializerNames(ModelProto m) {
        return m.getGraph().getInitializerList().stream().map(TensorProto::getName).collect(Collectors.toSet());
    }
}
