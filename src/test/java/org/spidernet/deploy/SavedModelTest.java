package org.spidernet.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.backend.Backend;
import org.spidernet.backend.Backends;
import org.spidernet.data.ChannelStats;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.InitScheme;
import org.spidernet.exec.Network;
import org.spidernet.exec.PlanOptions;
import org.spidernet.graph.EdgeSplit;
import org.spidernet.graph.Genome;
import org.spidernet.graph.GenomeJson;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.ir.AlphaGroup;
import org.spidernet.io.WeightsFile;
import org.spidernet.search.SpaceNetwork;
import org.spidernet.search.darts.DartsNetworkJson;
import org.spidernet.search.darts.DartsSkeleton;
import org.spidernet.search.darts.DartsSupernet;
import org.spidernet.search.darts.DartsSupernetSpace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A saved model round-trips: what {@link SavedModel#save} writes, {@link SavedModel#load} reads
 * back into a network computing the same logits; the safetensors copy holds every state entry
 * with its plan shape (read here by an independent parser of the format); bad directories fail
 * with one line naming the file.
 */
class SavedModelTest {
    private static final InputSpec INPUT = new InputSpec(1, 12, 12, 4);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static ModelManifest manifest(String space, String file) {
        return new ModelManifest(space, file, WeightsFile.NAME, "fashion-mnist", INPUT,
                new ChannelStats(new double[]{0.3}, new double[]{0.35}), List.of("a", "b", "c", "d"), "reference", 5);
    }

    private static Genome grown(Random r) {
        Genome g = Genome.initial(INPUT, 3, 1);
        for (int i = 0; i < 3; i++) {
            int cell = r.nextInt(g.cells().size());
            List<EdgeSplit> c = EdgeSplit.candidates(g, cell);
            g = c.get(r.nextInt(c.size())).applyTo(g);
        }
        return g;
    }

    private static double[] logits(Network net, double[] images) {
        net.forward(images, false, 0.0, null);
        return net.classifierLogits();
    }

    @Test
    void aSavedGenomeAndASupernetLoadIntoNetworksComputingTheSameLogits(@TempDir Path tmp) throws IOException {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        String genome = GenomeJson.write(grown(r));
        String supernet = DartsNetworkJson.write(new DartsSupernet(new DartsSkeleton(INPUT, 2, 3), AlphaGroup.Mixing.SOFTMAX));
        try (Backend be = Backends.resolve("reference").open()) {
            for (SpaceNetwork sn : List.of(new SpaceNetwork(SpaceNetwork.SPIDERNET, genome),
                    new SpaceNetwork(DartsSupernetSpace.NAME, supernet))) {
                Path dir = Files.createDirectory(tmp.resolve(sn.space()));
                ModelManifest m = manifest(sn.space(), sn.space().equals(SpaceNetwork.SPIDERNET) ? "genome.json" : "supernet.json");
                double[] images = new double[5 * 144];
                for (int i = 0; i < images.length; i++) {
                    images[i] = r.nextGaussian();
                }
                double[] before;
                Map<String, double[]> state;
                ExecutionPlan plan = ExecutionPlan.compile(org.spidernet.search.ArchitectureSpaces.lower(sn), 5,
                        be.bytesPerElement(), PlanOptions.TRAINING);
                try (Network net = Network.bind(plan, be)) {
                    net.initialize(seed, InitScheme.FAN_IN);
                    // a training step moves the BN running statistics off their initial values
                    net.forward(images, true, 0.0, new Random(seed));
                    state = net.exportResumable();
                    before = logits(net, images);
                }
                SavedModel.save(dir, m, sn.json(), state);
                SavedModel loaded = SavedModel.load(dir);
                assertEquals(m, loaded.manifest());
                assertFalse(loaded.weights().keySet().stream().anyMatch(k -> k.startsWith("momentum/")),
                        "the saved model keeps the network's state, not the optimiser's");
                try (Network net = loaded.open(be, 5)) {
                    assertArrayEquals(before, logits(net, images), 0.0, sn.space() + ", seed " + seed);
                }
                checkSafeTensors(dir.resolve(SavedModel.SAFETENSORS), plan.stateShapes(), loaded.weights(), seed);
            }
        }
    }

    /** Parses the file as the safetensors format defines it, independently of the writer. */
    private static void checkSafeTensors(Path file, Map<String, int[]> shapes, Map<String, double[]> state, long seed)
            throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        long n = b.getLong();
        assertEquals(0, n % 8, "header padded to 8 bytes");
        JsonNode header = MAPPER.readTree(new String(all, 8, (int) n, StandardCharsets.UTF_8));
        assertEquals("spidernet", header.path("__metadata__").path("producer").asText());
        assertEquals(shapes.size() + 1, header.size(), "one entry per state tensor plus the metadata");
        List<long[]> ranges = new ArrayList<>();
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            JsonNode t = header.get(e.getKey());
            assertEquals("F32", t.get("dtype").asText());
            int[] shape = MAPPER.convertValue(t.get("shape"), int[].class);
            assertArrayEquals(e.getValue(), shape, e.getKey());
            long begin = t.get("data_offsets").get(0).asLong();
            long end = t.get("data_offsets").get(1).asLong();
            double[] expected = state.get(e.getKey());
            assertEquals(expected.length * 4L, end - begin, e.getKey());
            ByteBuffer data = ByteBuffer.wrap(all, (int) (8 + n + begin), (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
            for (double v : expected) {
                assertEquals((float) v, data.getFloat(), 0.0f, e.getKey() + ", seed " + seed);
            }
            ranges.add(new long[]{begin, end});
        }
        // the format requires the data to be covered exactly, without holes or overlaps
        Collections.sort(ranges, (x, y) -> Long.compare(x[0], y[0]));
        long at = 0;
        for (long[] rg : ranges) {
            assertEquals(at, rg[0]);
            at = rg[1];
        }
        assertEquals(all.length - 8 - n, at);
    }

    @Test
    void aDeletedOpStaysOffInTheSavedModelWhateverItsGateWeight(@TempDir Path tmp) throws IOException {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        Genome g = grown(r);
        double[] images = new double[4 * 144];
        for (int i = 0; i < images.length; i++) {
            images[i] = r.nextGaussian();
        }
        try (Backend be = Backends.resolve("reference").open();
             Network net = Network.bind(ExecutionPlan.compile(g, 4, be.bytesPerElement()), be)) {
            net.initialize(seed, InitScheme.FAN_IN);
            net.forward(images, true, 0.0, new Random(seed));
            int gates = net.plan().gates().size();
            for (int k = 0; k < 3; k++) {
                int gate = r.nextInt(gates);
                assertTrue(net.gateOpen(gate) || net.isPruned(gate), "gates start open");
                net.prune(gate);
            }
            double[] before = logits(net, images);
            SavedModel.save(tmp, manifest(SpaceNetwork.SPIDERNET, "genome.json"), GenomeJson.write(g), net.exportForInference());
            try (Network loaded = SavedModel.load(tmp).open(be, 4)) {
                assertArrayEquals(before, logits(loaded, images), 0.0, "seed " + seed);
            }
            // the plain state keeps a deleted op's (open) gate: loading it would run the op again
            SavedModel.save(tmp, manifest(SpaceNetwork.SPIDERNET, "genome.json"), GenomeJson.write(g), net.exportState());
            try (Network loaded = SavedModel.load(tmp).open(be, 4)) {
                assertFalse(Arrays.equals(before, logits(loaded, images)), "the check above can fail, seed " + seed);
            }
        }
    }

    @Test
    void stateShapesNameEveryEntryTheNetworkExportsWithItsSize() {
        String supernet = DartsNetworkJson.write(new DartsSupernet(new DartsSkeleton(INPUT, 2, 3), AlphaGroup.Mixing.GUMBEL));
        try (Backend be = Backends.resolve("reference").open()) {
            for (var arch : List.of(org.spidernet.graph.GenomeLowering.lower(grown(new Random()), true),
                    new DartsSupernetSpace().lower(supernet))) {
                ExecutionPlan plan = ExecutionPlan.compile(arch, 2, be.bytesPerElement(), PlanOptions.TRAINING);
                try (Network net = Network.bind(plan, be)) {
                    Map<String, double[]> state = net.exportState();
                    Map<String, int[]> shapes = plan.stateShapes();
                    assertEquals(List.copyOf(state.keySet()), List.copyOf(shapes.keySet()));
                    shapes.forEach((k, s) -> assertEquals(Arrays.stream(s).asLongStream().reduce(1, (x, y) -> x * y),
                            state.get(k).length, k));
                }
            }
        }
    }

    @Test
    void aDirectoryWithoutAModelOrWithWeightsOfAnotherNetworkFailsNamingTheFile(@TempDir Path tmp) throws IOException {
        IOException none = assertThrows(IOException.class, () -> SavedModel.load(tmp));
        assertTrue(none.getMessage().contains("model.json") && none.getMessage().contains("not found"), none.getMessage());

        Random r = new Random();
        // b's weights are 3 channels wide, a's convolutions 5: sizes differ whatever b grew into
        Genome a = Genome.initial(INPUT, 5, 1);
        Genome b = grown(r);
        Map<String, double[]> weights;
        try (Backend be = Backends.resolve("reference").open();
             Network net = Network.bind(ExecutionPlan.compile(b, 2, be.bytesPerElement()), be)) {
            net.initialize(1, InitScheme.FAN_IN);
            weights = net.exportState();
        }
        SavedModel.save(tmp, manifest(SpaceNetwork.SPIDERNET, "genome.json"), GenomeJson.write(b), weights);
        // the architecture file swapped for another network's: its weights no longer fit
        Files.writeString(tmp.resolve("genome.json"), GenomeJson.write(a));
        try (Backend be = Backends.resolve("reference").open()) {
            SavedModel m = SavedModel.load(tmp);
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> m.open(be, 2).close());
            assertTrue(bad.getMessage().startsWith(tmp.resolve("weights.bin") + ": weights: entry '"), bad.getMessage());
        }
        Files.writeString(tmp.resolve("model.json"), "{\"format\": \"spidernet-model\", \"version\": 7}");
        IOException version = assertThrows(IOException.class, () -> SavedModel.load(tmp));
        assertEquals(tmp.resolve("model.json") + ": model format version 7, this engine reads 1", version.getMessage());
        Files.writeString(tmp.resolve("model.json"), "{ not json");
        IOException json = assertThrows(IOException.class, () -> SavedModel.load(tmp));
        assertTrue(json.getMessage().startsWith(tmp.resolve("model.json") + ": not valid JSON"), json.getMessage());
    }
}
