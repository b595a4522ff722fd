package org.spidernet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.graph.Genome;
import org.spidernet.graph.GenomeJson;
import org.spidernet.graph.ir.AlphaGroup;
import org.spidernet.graph.ir.Architecture;
import org.spidernet.graph.ir.ArchitectureJson;
import org.spidernet.io.TensorDump;
import org.spidernet.io.WeightsFile;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hidden {@code twin} command: what it dumps for the PyTorch twin, and its refusals. */
class TwinCommandTest {

    private record Result(int exit, String err) {
    }

    private static Result run(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true));
        try {
            return new Result(SpiderNet.execute(args), buf.toString());
        } finally {
            System.setErr(saved);
        }
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    /**
     * max|a - b| / max(max|b|, floor): the twin's measure. The floor (a fraction of the largest
     * gradient anywhere) is for gradients that are zero in exact arithmetic, e.g. the shift of a
     * BatchNorm feeding straight into another train-mode BatchNorm, which hold only rounding noise.
     */
    private static double normwise(double[] a, double[] b, double floor) {
        double err = 0;
        for (int i = 0; i < a.length; i++) {
            err = Math.max(err, Math.abs(a[i] - b[i]));
        }
        return err / Math.max(maxAbs(b), floor);
    }

    @Test
    void dumpsAConsistentStepOfAGrownNetWithClosedGates(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("twin");
        Result r = run("twin", "--channels", "2", "--grow", "2", "--closed-gates", "4", "--check-batch", "3",
                "--seed", String.valueOf(System.nanoTime() % 1000), "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        Genome g = GenomeJson.read(out.resolve("genome.json"));
        assertEquals(9 + 2 * 2, g.edgeCount(), "two splits add two edges each to the 9 of the initial net");
        TensorDump ref = TensorDump.read(out, "step-reference");
        TensorDump cpu = TensorDump.read(out, "step-cpu");
        assertArrayEquals(ref.get("input").values(), cpu.get("input").values(), 0.0, "both backends see one batch");

        // the loss is the weighted cross-entropy of the dumped logits (aux heads 0.4), recomputed here
        double[] labels = ref.get("labels").values();
        double loss = 0;
        for (JsonNode h : ref.meta().get("heads")) {
            double[] z = ref.get("logits/" + h.get("node").asText()).values();
            int classes = z.length / labels.length;
            double ce = 0;
            for (int n = 0; n < labels.length; n++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < classes; k++) {
                    max = Math.max(max, z[n * classes + k]);
                }
                double s = 0;
                for (int k = 0; k < classes; k++) {
                    s += Math.exp(z[n * classes + k] - max);
                }
                ce += Math.log(s) + max - z[n * classes + (int) labels[n]];
            }
            loss += h.get("loss_weight").asDouble() * ce / labels.length;
        }
        assertEquals(loss, ref.meta().get("loss").asDouble(), 1e-12 * Math.abs(loss));
        assertEquals(0.4, ref.meta().get("heads").get(0).get("loss_weight").asDouble(), 0.0);

        // closed gates: their ops' parameters get no gradient, the gates themselves a straight-through one
        int closed = 0;
        int closedWithGradient = 0;
        for (JsonNode gate : ref.meta().get("gates")) {
            if (gate.get("open").asBoolean()) {
                continue;
            }
            closed++;
            String label = gate.get("label").asText();
            if (ref.get("gate_grad/" + label).values()[0] != 0) {
                closedWithGradient++;
            }
            String[] p = label.split(":");
            String prefix = "grad/" + p[0] + ".e" + p[1].replace("->", "-") + "." + p[2] + ".";
            for (Map.Entry<String, TensorDump.Entry> e : ref.entries().entrySet()) {
                if (e.getKey().startsWith(prefix)) {
                    for (double v : e.getValue().values()) {
                        assertEquals(0.0, v, 0.0, e.getKey());
                    }
                }
            }
        }
        assertEquals(4, closed);
        assertTrue(closedWithGradient > 0, "a closed gate still gets dL/dw = sum dL/dy * op(x)");

        // float32 cpu backend against the float64 reference on the same step, with the twin's
        // float32 tolerance (1e-2 normwise; benchmarks/pytorch_twin.py says why)
        double gradScale = 0;
        for (String name : ref.entries().keySet()) {
            if (name.startsWith("grad/")) {
                gradScale = Math.max(gradScale, maxAbs(ref.get(name).values()));
            }
        }
        assertTrue(gradScale > 0);
        for (String name : ref.entries().keySet()) {
            if (name.startsWith("grad/") || name.startsWith("logits/") || name.startsWith("running/")) {
                double floor = name.startsWith("grad/") ? 1e-3 * gradScale : 0;
                double e = normwise(cpu.get(name).values(), ref.get(name).values(), floor);
                assertTrue(e < 1e-2, name + ": " + e);
            }
        }
    }

    @Test
    void aCheckpointReproducesTheStepExactly(@TempDir Path tmp) throws Exception {
        Path first = tmp.resolve("a");
        assertEquals(0, run("twin", "--channels", "2", "--reductions", "1", "--check-batch", "2", "--backends",
                "reference", "--out", first.toString()).exit());
        Path second = tmp.resolve("b");
        Result r = run("twin", "--checkpoint", first.toString(), "--check-batch", "2", "--backends", "reference",
                "--out", second.toString());
        assertEquals(0, r.exit(), r.err());
        TensorDump a = TensorDump.read(first, "step-reference");
        TensorDump b = TensorDump.read(second, "step-reference");
        for (String name : a.entries().keySet()) {
            assertArrayEquals(a.get(name).values(), b.get(name).values(), 0.0, name);
        }
    }

    @Test
    void timesTheStepAndMetricsWhenAsked(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("t");
        Result r = run("twin", "--channels", "2", "--reductions", "1", "--backends", "none", "--time-backend",
                "reference", "--time-batch", "2", "--warmup", "0", "--steps", "2", "--metrics", "params,synflow",
                "--metric-reps", "1", "--metric-seconds", "0", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertFalse(Files.exists(out.resolve("step-reference.json")));
        JsonNode t = new ObjectMapper().readTree(out.resolve("timing.json").toFile());
        JsonNode step = t.get("train_step");
        assertEquals(2, step.get("seconds").size());
        assertTrue(step.get("images_per_second").asDouble() > 0);
        assertEquals(step.get("planned_peak_bytes").asLong(), step.get("measured_peak_bytes").asLong());
        for (String m : new String[]{"params", "synflow"}) {
            assertTrue(t.get("metrics").get(m).get("networks_per_second").asDouble() > 0, m);
            assertTrue(t.get("metrics").get(m).get("last").asText().startsWith(m + "="), m);
        }
    }

    @Test
    void refusesACheckpointWithGrowthAndLeavesNothing(@TempDir Path tmp) {
        Path out = tmp.resolve("never");
        Result r = run("twin", "--checkpoint", tmp.toString(), "--grow", "1", "--out", out.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("spidernet: error: --checkpoint"), r.err());
        assertEquals(1, r.err().strip().lines().count());
        assertFalse(Files.exists(out));
        r = run("twin", "--closed-gates", "1000", "--channels", "2", "--out", out.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("only"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void dumpsADartsSupernetWithPerturbedAlphasAndTheirGradients(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("darts");
        Result r = run("twin", "--darts-supernet", "--channels", "2", "--layers", "3", "--check-batch", "2",
                "--backends", "reference", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        Architecture a = ArchitectureJson.read(Files.readString(out.resolve("architecture.json")));
        assertEquals(2, a.alphas().size());
        assertFalse(Files.exists(out.resolve("genome.json")), "no genome outside SpiderNet's space");
        Map<String, double[]> w = WeightsFile.read(out.resolve("weights.bin"));
        TensorDump ref = TensorDump.read(out, "step-reference");
        for (AlphaGroup g : a.alphas()) {
            // perturbed from the 1e-3 N(0, 1) init to U(-1, 1), so the softmax is far from uniform
            assertTrue(maxAbs(w.get("alpha/" + g.name())) > 0.5, g.name());
            double[] da = ref.get("alpha_grad/" + g.name()).values();
            assertEquals(g.size(), da.length);
            assertTrue(maxAbs(da) > 0, "an unwritten alpha gradient cannot pass");
        }
        r = run("twin", "--darts-supernet", "--mixing", "gumbel", "--out", tmp.resolve("never").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("softmax mixing only"), r.err());
        r = run("twin", "--darts-supernet", "--genome", "x.json", "--out", tmp.resolve("never").toString());
        assertEquals(2, r.exit());
        assertFalse(Files.exists(tmp.resolve("never")));
    }

    @Test
    void dumpsANetworkOfAnyRegisteredSpace(@TempDir Path tmp) throws Exception {
        Path region = Path.of("benchmarks", "twin-fade-region.json");
        Path out = tmp.resolve("fade");
        Result r = run("twin", "--network", region.toString(), "--space", "fade-region", "--check-batch", "2",
                "--backends", "reference", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        Architecture a = ArchitectureJson.read(Files.readString(out.resolve("architecture.json")));
        assertEquals(org.spidernet.search.fade.FadeJson.readRegion(Files.readString(region)).lower(), a);
        assertTrue(maxAbs(TensorDump.read(out, "step-reference").get("alpha_grad/fade").values()) > 0);
        // every space of scripts/pytorch-twin's every-space check reads its benchmarks/twin-SPACE.json
        Path mix = Path.of("benchmarks", "twin-autospace-mix.json");
        Path mixOut = tmp.resolve("autospace");
        r = run("twin", "--network", mix.toString(), "--space", "autospace-mix", "--check-batch", "2",
                "--backends", "reference", "--out", mixOut.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(org.spidernet.search.autospace.AutoSpaceJson.readMix(Files.readString(mix)).lower(),
                ArchitectureJson.read(Files.readString(mixOut.resolve("architecture.json"))));
        assertTrue(maxAbs(TensorDump.read(mixOut, "step-reference").get("alpha_grad/autospace").values()) > 0);
        Path nago = Path.of("benchmarks", "twin-nago.json");
        Path nagoOut = tmp.resolve("nago");
        r = run("twin", "--network", nago.toString(), "--space", "nago", "--check-batch", "2", "--backends", "reference",
                "--out", nagoOut.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(org.spidernet.search.nago.NagoJson.read(Files.readString(nago)).lower(),
                ArchitectureJson.read(Files.readString(nagoOut.resolve("architecture.json"))));
        for (String[] bad : new String[][]{{"--network", region.toString()}, {"--network", region.toString(), "--space", "nope"},
                {"--network", region.toString(), "--space", "fade"}}) {
            List<String> args = new java.util.ArrayList<>(List.of("twin", "--out", tmp.resolve("never").toString()));
            args.addAll(List.of(bad));
            r = run(args.toArray(String[]::new));
            assertTrue(r.exit() != 0, String.join(" ", bad));
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertFalse(Files.exists(tmp.resolve("never")), String.join(" ", bad));
        }
    }
}
