package org.spidernet.exec;

import org.junit.jupiter.api.Test;
import org.spidernet.backend.Availability;
import org.spidernet.backend.Backend;
import org.spidernet.backend.BackendProvider;
import org.spidernet.backend.Backends;
import org.spidernet.backend.reference.ReferenceBackend;
import org.spidernet.graph.ir.AlphaGroup;
import org.spidernet.graph.ir.Architecture;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A training step of a mixed cell (weighted sums over shared alpha rows, a plain sum; see
 * {@link WeightedSumGradientTest#mixedCell}), and of any architecture given to {@link #agree},
 * on the cpu backend and the CUDA backend on the emulated device against the float64 reference: loss, logits, every parameter gradient and every
 * alpha gradient, from identical float32-exact weights, alphas, inputs and labels, with softmax
 * and with Gumbel mixing (the same noise). Tolerance per tensor: 1e-3 of its largest magnitude
 * plus 1e-3 of the value (parameter gradients also 1e-5 of the step's largest, see
 * {@link #GRADIENT_FLOOR}) (float32 rounding through a dozen layers, BatchNorm over 2 x 6 x 5
 * values, is near 1e-6 relative; a wrong convention moves results by tens of percent); loss 1e-5
 * relative. A backend missing from this JVM is reported and skipped; the cpu one must be present.
 */
public class MixedCellBackendsTest {
    private static final double TOLERANCE = 1e-3;
    /**
     * A parameter gradient that cancels to almost nothing in float64 (a BatchNorm whose output
     * reaches the loss only through ops a Gumbel path switched off sums to about 1e-8) keeps float32
     * rounding of the terms it sums: a floor of 1e-5 of the step's largest parameter gradient, the
     * rounding of a float32 sum of a few thousand such terms.
     */
    private static final double GRADIENT_FLOOR = 1e-5;

    private record Step(double loss, double[] logits, Map<String, double[]> gradients, double[] alphaGrads) {
    }

    @Test
    void cpuAndEmulatedCudaMatchTheReferenceOnAMixedCell() {
        long seed = System.nanoTime();
        List<String> compared = new ArrayList<>();
        for (AlphaGroup.Mixing mixing : AlphaGroup.Mixing.values()) {
            compared.addAll(agree(WeightedSumGradientTest.mixedCell(mixing), mixing.name(), seed));
        }
        System.out.println("MixedCellBackendsTest: compared " + compared + " with the reference");
        assertTrue(compared.contains("cpu/SOFTMAX") && compared.contains("cpu/GUMBEL"), "compared: " + compared);
    }

    /**
     * One training step of {@code a} (batch 2, 3 classes, input [2, C, H, W] of the architecture)
     * on every usable float32 backend against the reference, as the class comment says; returns
     * "backend/what" for each backend compared. The cpu backend must be usable.
     */
    public static List<String> agree(Architecture a, String what, long seed) {
        return agree(a, 2, what, seed);
    }

    /** {@link #agree(Architecture, String, long)} at another batch size. */
    public static List<String> agree(Architecture a, int batch, String what, long seed) {
        List<String> compared = new ArrayList<>();
        ExecutionPlan plan64 = ExecutionPlan.compile(a, batch, 8, PlanOptions.TRAINING);
        Random r = new Random(seed);
        Map<String, double[]> state;
        try (ReferenceBackend ref = new ReferenceBackend(); Network net = Network.bind(plan64, ref)) {
            net.initialize(seed, InitScheme.FAN_IN);
            double[] alphas = net.alphas();
            for (int i = 0; i < alphas.length; i++) {
                alphas[i] = r.nextGaussian();
            }
            state = new LinkedHashMap<>();
            net.exportState().forEach((k, v) -> {
                double[] f = v.clone();
                for (int i = 0; i < f.length; i++) {
                    f[i] = (float) f[i];
                }
                state.put(k, f);
            });
        }
        float[] x = new float[(int) (plan64.buffers.get(plan64.input).elements())];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        int[] labels;
        long noise = r.nextLong();
        int classes = plan64.classes();
        labels = new int[batch];
        for (int n = 0; n < batch; n++) {
            labels[n] = r.nextInt(classes);
        }
        Step expected;
        try (ReferenceBackend ref = new ReferenceBackend()) {
            expected = step(ref, a, state, x, labels, noise);
        }
        for (String name : List.of("cpu", "cuda-emulated")) {
            BackendProvider p = Backends.providers().stream().filter(q -> q.name().equals(name)).findFirst().orElseThrow();
            Availability avail = Backends.availability(p);
            if (!avail.usable()) {
                assertFalse(name.equals("cpu"), "the cpu backend must be usable here: " + avail.detail());
                System.out.println("MixedCellBackendsTest: " + name + " skipped: " + avail.detail());
                continue;
            }
            try (Backend b = p.open()) {
                Step got = step(b, a, state, x, labels, noise);
                String where = name + " " + what + " seed " + seed;
                assertEquals(expected.loss(), got.loss(), 1e-5 * Math.abs(expected.loss()), where + " loss");
                close(expected.logits(), got.logits(), 0, where + " logits");
                close(expected.alphaGrads(), got.alphaGrads(), 0, where + " alpha gradients");
                double floor = GRADIENT_FLOOR * largest(expected.gradients());
                for (String k : expected.gradients().keySet()) {
                    close(expected.gradients().get(k), got.gradients().get(k), floor, where + " gradient of " + k);
                }
                compared.add(name + "/" + what);
            }
        }
        return compared;
    }

    private static Step step(Backend b, Architecture a, Map<String, double[]> state, float[] x, int[] labels,
                             long noise) {
        ExecutionPlan plan = ExecutionPlan.compile(a, labels.length, b.bytesPerElement(), PlanOptions.TRAINING);
        try (Network net = Network.bind(plan, b)) {
            net.importState(state);
            net.setGumbelTemperature(0.7);
            net.forward(x, true, 0.0, new Random(noise));
            double[] logits = net.classifierLogits();
            double loss = net.backward(labels);
            Map<String, double[]> grads = new LinkedHashMap<>();
            for (ParamSpec p : plan.parameters()) {
                grads.put(p.name(), b.download(net.tensor(p.grad())));
            }
            return new Step(loss, logits, grads, net.alphaGradients());
        }
    }

    private static double largest(Map<String, double[]> tensors) {
        double m = 0;
        for (double[] t : tensors.values()) {
            for (double v : t) {
                m = Math.max(m, Math.abs(v));
            }
        }
        return m;
    }

    private static void close(double[] expected, double[] actual, double floor, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            double tol = TOLERANCE * (scale + Math.abs(expected[i])) + floor;
            assertTrue(Math.abs(expected[i] - actual[i]) <= tol,
                    what + "[" + i + "]: reference " + expected[i] + ", got " + actual[i] + " (tolerance " + tol + ")");
        }
    }
}
