package org.spidernet.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spidernet.backend.Backend;
import org.spidernet.backend.CapturedStep;
import org.spidernet.backend.Tensor;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.GatedSumTwins;
import org.spidernet.exec.InitScheme;
import org.spidernet.exec.Network;
import org.spidernet.exec.ParamSpec;
import org.spidernet.graph.Genome;
import org.spidernet.graph.InputSpec;
import org.spidernet.train.ParameterTensors;

/**
 * The engine's gated sums on the CUDA backend run the fused kernels ({@code snc_gated_sum_forward},
 * {@code snc_gated_sum_backward} and its gate-gradient fold {@code snc_gate_gradient_fold}) and
 * compute bit for bit what the per-op kernels compute; the op
 * contract (fused = per-op loop bit for bit, reference within 1e-4, aliasing refused, empty
 * samples) is {@link CudaBackendContractTest}'s share. Here: whole training steps with drop-path,
 * a closed and a pruned gate, eager and replayed from a CUDA graph, against the same net whose
 * gated sums go through the per-op kernels; the launch counts that show which kernels ran (one
 * fold launch per backward launch, no per-gate {@code snc_gate_gradient}); the fold seam, with a
 * host fold and with none; and the frees of tensors closed while a
 * step is recorded. Skipped, with the probe's reason, where no usable CUDA device exists.
 */
class CudaFusedGatedSumTest extends CudaAgainstReference {
    private static final int BATCH = 6;
    private static final double DROP = 0.3;

    private static void assertSame(ExecutionPlan plan, Network fused, Network perOp, String where) {
        assertEquals(perOp.lossOfLastStep(), fused.lossOfLastStep(), 0.0, "loss, " + where);
        assertArrayEquals(perOp.gateGradients(), fused.gateGradients(), 0.0, "gate gradients, " + where);
        assertArrayEquals(perOp.classifierLogits(), fused.classifierLogits(), 0.0, "logits, " + where);
        for (ParamSpec p : plan.parameters()) {
            assertArrayEquals(perOp.backend().download(perOp.tensor(p.grad())),
                    fused.backend().download(fused.tensor(p.grad())), 0.0, p.name() + ".grad, " + where);
        }
    }

    @Test
    void trainingStepsRunTheFusedKernelsAndMatchThePerOpKernelsBitForBit() {
        Genome genome = Genome.initial(new InputSpec(3, 12, 12, 10), 8, 1);
        ExecutionPlan plan = ExecutionPlan.compile(genome, BATCH, cuda.bytesPerElement());
        // the per-op net on a backend of its own: one backend's SGD table and captures serve one net
        try (CudaBackend other = CudaBackend.open(); Network fused = Network.bind(plan, cuda);
             Network perOp = Network.bind(plan, GatedSumTwins.proxy(other, true, null))) {
            int gates = plan.gates().size();
            for (Network n : List.of(fused, perOp)) {
                n.initialize(seed, InitScheme.FAN_IN);
                n.gateWeights()[1] = -0.01;  // closed: computed forward, no input gradient, a gate gradient
                n.prune(gates - 1);
            }
            ParameterTensors pf = ParameterTensors.of(fused);
            ParameterTensors pp = ParameterTensors.of(perOp);
            for (int step = 0; step < 2; step++) {
                String where = "eager step " + step + " (seed " + seed + ")";
                GatedSumTwins.beginSameStep(random, BATCH, 10, DROP, fused, perOp);
                long forward = cuda.gatedSums().forwardLaunches();
                long backward = cuda.gatedSums().backwardLaunches();
                long scaleAdds = cuda.gatedSums().scaleAddPerSampleLaunches();
                long perGate = cuda.gatedSums().gateGradientLaunches();
                fused.runStep();
                assertTrue(cuda.gatedSums().forwardLaunches() > forward, "no fused forward launch, " + where);
                assertTrue(cuda.gatedSums().backwardLaunches() > backward, "no fused backward launch, " + where);
                assertEquals(scaleAdds, cuda.gatedSums().scaleAddPerSampleLaunches(), "per-op scale-adds in the fused step, " + where);
                // the backend's default fold is the native one-launch fold: no gate gets its dot formed again
                assertEquals(perGate, cuda.gatedSums().gateGradientLaunches(), "snc_gate_gradient in the fused step, " + where);
                perOp.runStep();
                assertTrue(other.gatedSums().scaleAddPerSampleLaunches() > 0, "the per-op step ran no per-op kernel");
                assertTrue(other.gatedSums().gateGradientLaunches() > 0, "the per-op step ran no snc_gate_gradient");
                assertEquals(0, other.gatedSums().forwardLaunches() + other.gatedSums().backwardLaunches(),
                        "the per-op step ran a fused kernel");
                assertSame(plan, fused, perOp, where);
                for (Network n : List.of(fused, perOp)) {
                    n.setLearningRate(0.05);
                    (n == fused ? pf : pp).step(n.backend(), 0.9, 3e-4);
                }
            }
            // the fused step captured once and replayed with new masks each time; no table is copied again
            try (CapturedStep step = cuda.capture(() -> {
                fused.runStep();
                pf.step(cuda, 0.9, 3e-4);
            })) {
                long uploads = -1;
                for (int s = 0; s < 3; s++) {
                    GatedSumTwins.beginSameStep(random, BATCH, 10, DROP, fused, perOp);
                    step.replay();
                    if (s == 0) {
                        uploads = cuda.gatedSums().tableUploads();
                    }
                    perOp.runStep();
                    pp.step(perOp.backend(), 0.9, 3e-4);
                    assertSame(plan, fused, perOp, "replay " + s + " (seed " + seed + ")");
                }
                assertEquals(uploads, cuda.gatedSums().tableUploads(), "replays copied pointer tables to the device");
                assertEquals(1, ((CudaCapturedStep) step).recordings(), "recorded once, then replayed");
            }
        }
    }

    /**
     * Eleven ops: two launches each way, and one fold per backward launch; the fold seam gets the
     * fused kernel's dots; the native fold gives the per-op loop's bits (also with one gate named
     * by several ops of one launch); without a fold, one snc_gate_gradient per op.
     */
    @Test
    void launchesPerCallAndTheFoldSeamReadTheFusedKernelsDots() {
        int[] shape = {5, 3, 7, 9};
        int ops = 11;
        int gateCount = 12;
        Tensor factors = cuda.allocate(gateCount, shape[0]);
        float[] masks = new float[gateCount * shape[0]];
        for (int i = 0; i < masks.length; i++) {
            masks[i] = random.nextInt(4) == 0 ? 0f : 1f;
        }
        cuda.upload(factors, masks);
        int[] gates = {0, 1, 2, 3, 5, 4, 6, 7, 8, 9, 11};
        double[] scales = new double[ops];
        List<Tensor> xs = new ArrayList<>();
        List<Tensor> dxs = new ArrayList<>();
        List<Tensor> loopDxs = new ArrayList<>();
        for (int j = 0; j < ops; j++) {
            scales[j] = 1 / (0.7 + 0.02 * j);
            xs.add(randomTensor(shape));
            Tensor dx = j == 4 ? null : randomTensor(shape);
            dxs.add(dx);
            loopDxs.add(dx == null ? null : copy(dx));
        }
        Tensor dy = randomTensor(shape);
        Tensor grads = randomTensor(gateCount);
        Tensor loopGrads = copy(grads);
        Tensor y = randomTensor(shape);

        long forward = cuda.gatedSums().forwardLaunches();
        cuda.gatedSum(xs, factors, gates, scales, y);
        assertEquals(forward + 2, cuda.gatedSums().forwardLaunches(), "11 ops are 8 + 3: two forward launches");

        double[][] folded = new double[1][];
        cuda.gatedSums().useGateGradientFold((context, dots, factorRows, samples, rows, multipliers, gateIndices, count, gateGrads) -> {
            // a host fold for the test (waits for the device): what snc_gate_gradient_fold is to add
            double[] d = new double[count * samples];
            CudaNative.check(CudaNative.copyToHost(context, d, dots, (long) d.length * Double.BYTES), "dots");
            float[] f = new float[gateCount * samples];
            CudaNative.check(CudaNative.copyToHost(context, f, factorRows, (long) f.length * Float.BYTES), "factors");
            float[] g = new float[gateCount];
            CudaNative.check(CudaNative.copyToHost(context, g, gateGrads, (long) g.length * Float.BYTES), "gateGrads");
            for (int j = 0; j < count; j++) {
                double sum = 0;
                for (int n = 0; n < samples; n++) {
                    sum += (double) multipliers[j] * (double) f[rows[j] * samples + n] * d[j * samples + n];
                }
                g[gateIndices[j]] = (float) (g[gateIndices[j]] + sum);
            }
            CudaNative.check(CudaNative.copyToDevice(context, gateGrads, g, (long) g.length * Float.BYTES), "gateGrads");
            double[] all = folded[0] == null ? new double[0] : folded[0];
            double[] grown = Arrays.copyOf(all, all.length + d.length);
            System.arraycopy(d, 0, grown, all.length, d.length);
            folded[0] = grown;
            return 0;
        });
        long backward = cuda.gatedSums().backwardLaunches();
        long perGate = cuda.gatedSums().gateGradientLaunches();
        cuda.gatedSumBackward(dy, xs, factors, gates, scales, dxs, grads);
        assertEquals(backward + 2, cuda.gatedSums().backwardLaunches(), "two backward launches");
        assertEquals(perGate, cuda.gatedSums().gateGradientLaunches(), "with a fold, no per-gate snc_gate_gradient");
        for (int j = 0; j < ops; j++) {
            cuda.gateGradient(dy, xs.get(j), factors, scales[j], loopGrads, gates[j]);
            if (loopDxs.get(j) != null) {
                cuda.scaleAddPerSample(dy, factors, gates[j], scales[j], loopDxs.get(j));
            }
        }
        // the dots the fold got are the per-op dot kernels' bits, in op order
        int samples = shape[0];
        for (int j = 0; j < ops; j++) {
            double[] want = cuda.dotPerSample(dy, xs.get(j));
            double[] got = Arrays.copyOfRange(folded[0], j * samples, (j + 1) * samples);
            assertArrayEquals(want, got, 0.0, "dots of op " + j + " (seed " + seed + ")");
        }
        double[] want = cuda.download(loopGrads);
        double[] got = cuda.download(grads);
        for (int g = 0; g < gateCount; g++) {
            assertEquals(want[g], got[g], 4 * Math.ulp((float) want[g]), "gate " + g + " (seed " + seed + ")");
        }
        for (int j = 0; j < ops; j++) {
            if (dxs.get(j) != null) {
                assertArrayEquals(cuda.download(loopDxs.get(j)), cuda.download(dxs.get(j)), 0.0, "dxs[" + j + "]");
            }
        }

        // the native fold, counted: one launch per backward launch, bit for bit the per-op loop; gate 1
        // is named by ops 1, 3 and 7 (one launch, added in op order) and gate 2 by ops 2 and 10
        int[] repeated = {0, 1, 2, 1, 5, 4, 6, 1, 8, 9, 2};
        int[] nativeFolds = {0};
        cuda.gatedSums().useGateGradientFold((context, dots, factorRows, samples2, rows, multipliers, gateIndices, count,
                                  gateGrads) -> {
            nativeFolds[0]++;
            assertEquals(count, rows.length, "rows of one launch");
            return GatedAccumulate.NATIVE_FOLD.fold(context, dots, factorRows, samples2, rows, multipliers,
                    gateIndices, count, gateGrads);
        });
        Tensor nativeGrads = randomTensor(gateCount);
        Tensor nativeLoopGrads = copy(nativeGrads);
        backward = cuda.gatedSums().backwardLaunches();
        perGate = cuda.gatedSums().gateGradientLaunches();
        cuda.gatedSumBackward(dy, xs, factors, repeated, scales, dxs, nativeGrads);
        assertEquals(backward + 2, cuda.gatedSums().backwardLaunches(), "two backward launches");
        assertEquals(2, nativeFolds[0], "one native fold launch per backward launch");
        assertEquals(perGate, cuda.gatedSums().gateGradientLaunches(), "with the native fold, no per-gate snc_gate_gradient");
        for (int j = 0; j < ops; j++) {
            cuda.gateGradient(dy, xs.get(j), factors, scales[j], nativeLoopGrads, repeated[j]);
        }
        assertArrayEquals(cuda.download(nativeLoopGrads), cuda.download(nativeGrads), 0.0,
                "native fold vs one snc_gate_gradient per op (seed " + seed + ")");

        cuda.gatedSums().useGateGradientFold(null);
        perGate = cuda.gatedSums().gateGradientLaunches();
        cuda.gatedSumBackward(dy, xs, factors, gates, scales, dxs, grads);
        assertEquals(perGate + ops, cuda.gatedSums().gateGradientLaunches(), "without a native fold: one snc_gate_gradient per op");
    }

    @Test
    void recordingRefusesToCopyANewPointerTable() {
        int[] shape = {4, 10};
        Tensor factors = cuda.allocate(3, 4);
        cuda.fill(factors, 1.0);
        List<Tensor> xs = List.of(randomTensor(shape), randomTensor(shape));
        Tensor y = cuda.allocate(shape);
        int[] rows = {0, 2};
        double[] scales = {1.0, 1 / 0.7};
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> cuda.graphs().record(() -> cuda.gatedSum(xs, factors, rows, scales, y)));
        assertTrue(e.getMessage().contains("gatedSum") && e.getMessage().contains("pointer table"), e.getMessage());
        cuda.gatedSum(xs, factors, rows, scales, y);  // the eager call copies the table and grows the workspace
        long graph = cuda.graphs().record(() -> cuda.gatedSum(xs, factors, rows, scales, y));
        cuda.graphs().destroyGraph(graph);
    }

    /**
     * A tensor closed while a step is recorded is freed when the recording ends, never inside it;
     * a recording that closed one is discarded with a clear error, a failing one keeps its own
     * exception; either way the memory comes back and the backend keeps working.
     */
    @Test
    void tensorsClosedWhileAStepIsRecordedAreFreedAfterIt() {
        Tensor keep = cuda.allocate(1000);
        Tensor doomed = cuda.allocate(1 << 20);
        long inUse = cuda.memory().bytesInUse();
        long pool = cuda.poolUsedBytes();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> cuda.graphs().record(() -> {
            cuda.fill(keep, 1.0);
            doomed.close();
        }));
        assertTrue(e.getMessage().contains("closed 1 tensor"), e.getMessage());
        assertEquals(inUse - 4L * (1 << 20), cuda.memory().bytesInUse(), "the ledger released the closed tensor");
        assertTrue(cuda.poolUsedBytes() <= pool - 4L * (1 << 20), "the pool got the memory back: "
                + cuda.poolUsedBytes() + " of " + pool);
        assertThrows(IllegalStateException.class, () -> cuda.fill(doomed, 0.0), "a closed tensor stays closed");

        Tensor doomedToo = cuda.allocate(1 << 20);
        RuntimeException boom = assertThrows(RuntimeException.class, () -> cuda.graphs().record(() -> {
            try {
                cuda.fill(keep, 2.0);
                throw new RuntimeException("boom");
            } finally {
                doomedToo.close();
            }
        }));
        assertEquals("boom", boom.getMessage());
        assertEquals(inUse - 4L * (1 << 20), cuda.memory().bytesInUse(), "the tensor closed by the failing step");

        // the backend and its captures work on
        cuda.fill(keep, 3.0);
        try (CapturedStep step = cuda.capture(() -> cuda.axpy(1.0, keep, keep))) {
            step.replay();
            step.replay();
        }
        double[] values = cuda.download(keep);
        assertEquals(12.0, values[0], 0.0);
        assertEquals(12.0, values[999], 0.0);

        // a captured step that closes a tensor only while it is recorded: refused, nothing recorded
        Tensor late = cuda.allocate(16);
        int[] runs = {0};
        try (CapturedStep step = cuda.capture(() -> {
            cuda.fill(keep, 0.0);
            if (++runs[0] == 2) {
                late.close();
            }
        })) {
            assertThrows(IllegalStateException.class, step::replay);
            assertEquals(0, ((CudaCapturedStep) step).recordings());
        }
    }

    private Tensor randomTensor(int... shape) {
        Tensor t = cuda.allocate(shape);
        float[] values = new float[(int) t.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (2 * random.nextDouble() - 1);
        }
        cuda.upload(t, values);
        return t;
    }

    private Tensor copy(Tensor t) {
        Tensor c = cuda.allocate(t.shape());
        cuda.copy(t, c);
        return c;
    }
}
