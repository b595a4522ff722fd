package org.spidernet.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spidernet.backend.ConvExtents;
import org.spidernet.graph.ir.ConvGeometry;
import org.spidernet.backend.PoolExtents;
import org.spidernet.graph.ir.PoolGeometry;

/**
 * The Java / C contract of the CUDA library where it needs no device: wherever nvcc built the
 * library it loads without a driver, so these run on build machines too. The extents arrays Java
 * computes must be exactly what the C side's checks accept (same order, same output-size rule),
 * and the workspace sizes Java reserves must be what the launchers ask for.
 */
class CudaNativeContractTest {

    @BeforeEach
    void libraryBuilt() {
        String record = CudaProbe.buildRecord();
        assumeTrue(record != null && record.startsWith("built:"), "native library not built here: " + record);
    }

    @Test
    void everyConvolutionJavaAcceptsTheCSideAcceptsAndNoOther() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        int checked = 0;
        for (int trial = 0; trial < 2000; trial++) {
            int k = 1 + random.nextInt(7);
            int stride = 1 + random.nextInt(3);
            int dilation = 1 + random.nextInt(3);
            int padding = random.nextInt(6);
            int groups = 1 + random.nextInt(4);
            int cin = groups * (1 + random.nextInt(4));
            int cout = groups * (1 + random.nextInt(4));
            int h = 1 + random.nextInt(40);
            int w = 1 + random.nextInt(40);
            ConvGeometry g = new ConvGeometry(k, stride, padding, dilation, groups);
            if (h + 2 * padding < dilation * (k - 1) + 1 || w + 2 * padding < dilation * (k - 1) + 1) {
                continue;
            }
            int[] x = {1 + random.nextInt(5), cin, h, w};
            int[] wt = {cout, cin / groups, k, k};
            int[] y = {x[0], cout, g.outSize(h), g.outSize(w)};
            int[] dims = KernelLimits.convDims("conv2d", ConvExtents.of("conv2d", "x", x, wt, "y", y, g));
            assertEquals(1, CudaNative.convDimsValid(dims), "C rejects " + java.util.Arrays.toString(dims)
                    + " (seed " + seed + ")");
            int[] wrongHeight = dims.clone();
            wrongHeight[5]++;
            assertEquals(0, CudaNative.convDimsValid(wrongHeight), "C accepts a wrong output height (seed " + seed + ")");
            int[] tooWide = dims.clone();
            tooWide[6]--;
            assertEquals(0, CudaNative.convDimsValid(tooWide), "C accepts a wrong output width (seed " + seed + ")");
            int[] ungrouped = dims.clone();
            ungrouped[1] = dims[1] * 3 + 1;  // in_c no longer a multiple of groups (for groups > 1) or w mismatched
            if (groups > 1 && ungrouped[1] % groups != 0) {
                assertEquals(0, CudaNative.convDimsValid(ungrouped), "C accepts channels not divisible by groups");
            }
            checked++;
        }
        assertTrue(checked > 500, "only " + checked + " geometries checked");
    }

    @Test
    void everyPoolingJavaAcceptsTheCSideAccepts() {
        for (int k = 1; k <= 5; k++) {
            for (int stride = 1; stride <= 3; stride++) {
                for (int padding = 0; 2 * padding <= k; padding++) {
                    for (int h = 1; h <= 20; h++) {
                        if (h + 2 * padding < k) {
                            continue;
                        }
                        PoolGeometry g = new PoolGeometry(k, stride, padding);
                        int[] dims = KernelLimits.poolDims(PoolExtents.of("maxPool", "x", new int[] {2, 3, h, h + 1},
                                "y", new int[] {2, 3, g.outSize(h), g.outSize(h + 1)}, g));
                        assertEquals(1, CudaNative.poolDimsValid(dims), java.util.Arrays.toString(dims));
                        dims[4]++;
                        assertEquals(0, CudaNative.poolDimsValid(dims), java.util.Arrays.toString(dims));
                    }
                }
            }
        }
    }

    @Test
    void workspaceSizesAndLimitsAgree() {
        // one float64 per sample for the loss rows
        assertEquals(64L * Double.BYTES, CudaNative.softmaxCrossEntropyWorkspaceBytes(64));
        assertEquals(0L, CudaNative.softmaxCrossEntropyWorkspaceBytes(0));
        // 7 ops x 3 samples x 49 blocks of 2048 elements (100,003 per sample)
        assertEquals(7L * 3 * 49 * Double.BYTES, CudaNative.gatedSumBackwardWorkspaceBytes(7, 3, 100_003));
        assertEquals(0L, CudaNative.gatedSumBackwardWorkspaceBytes(0, 3, 10));
    }

    @Test
    void badArgumentsAreRejectedBeforeAnyDeviceWork() {
        int[] valid = KernelLimits.convDims("conv2d", ConvExtents.of("conv2d", "x", new int[] {2, 4, 8, 8},
                new int[] {4, 1, 3, 3}, "y", new int[] {2, 4, 8, 8}, new ConvGeometry(3, 1, 1, 1, 4)));
        // null tensors, then a null context: SNC_ERR_ARGUMENT (-1) without touching CUDA
        assertEquals(-1, CudaNative.conv2dForward(0L, valid, 0L, 0L, 0L));
        assertEquals(-1, CudaNative.conv2dForward(0L, valid, 64L, 64L, 64L));
        assertEquals(-1, CudaNative.fill(0L, 64L, 1f, -1L));
        assertEquals(-1, CudaNative.scaleAddPerSample(0L, 64L, 0L, 1f, 64L, 1, 1L));  // no factors
        assertEquals(-1, CudaNative.gateGradient(0L, 64L, 64L, 1, 1L, 64L, 1024L, 64L, 0L, 1f, 64L, 0));  // no factors
        assertEquals(-1, CudaNative.gatedSumForward(0L, 64L, 64L, 64L, CudaNative.MAX_GATED_OPS + 1, 1, 1L));
        int[] one = {0};
        float[] unit = {1f};
        assertEquals(-1, CudaNative.gateGradientFold(0L, 0L, 64L, 1, one, unit, one, 1, 64L));  // no dots
        assertEquals(-1, CudaNative.gateGradientFold(0L, 64L, 64L, -1, one, unit, one, 1, 64L));  // samples -1
        assertEquals(-1, CudaNative.gateGradientFold(0L, 64L, 64L, 1, new int[CudaNative.MAX_GATED_OPS + 1],
                new float[CudaNative.MAX_GATED_OPS + 1], new int[CudaNative.MAX_GATED_OPS + 1],
                CudaNative.MAX_GATED_OPS + 1, 64L));  // too many ops
        assertEquals(-1, CudaNative.gateGradientFold(0L, 64L, 64L, 1, one, unit, new int[] {-1}, 1, 64L));  // gate -1
        assertEquals(-1, CudaNative.softmaxCrossEntropy(0L, 64L, 64L, 64L, 64, 10, 1.0, 64L, 8L, 64L));
        assertEquals(-1, CudaNative.softmaxCrossEntropy(0L, 64L, 64L, 64L, 64, 10, 1.0, 64L, 512L, 0L));  // no loss
        // captured steps: no context, no graph
        assertEquals(-1, CudaNative.captureBegin(0L));
        assertEquals(-1, CudaNative.captureEnd(0L, new long[1]));
        assertEquals(-1, CudaNative.captureAbort(0L));
        assertEquals(-1, CudaNative.graphLaunch(64L, 0L));
        assertEquals(-1, CudaNative.graphLaunch(0L, 64L));
        assertEquals(0, CudaNative.graphDestroy(0L, 0L), "releasing no graph is a no-op");
        double[] norm = new double[CudaNative.AUGMENT_MAX_CHANNELS + 1];
        assertEquals(-1, CudaNative.augment(0L, 64L, 128L, 2, CudaNative.AUGMENT_MAX_CHANNELS + 1, 4, 4, 2, 256L, norm,
                norm, 0, 0));
        assertEquals(-1, CudaNative.augment(0L, 64L, 128L, 2, 3, 4, 4, 3, 256L, norm, norm, 0, 0)); // samples > batch
        assertEquals(-1, CudaNative.augment(0L, 64L, 128L, 2, 3, 4, 4, 2, 0L, norm, norm, 0, 0)); // no parameters
        assertEquals(-1, CudaNative.augment(0L, 0L, 128L, 2, 3, 4, 4, 2, 256L, norm, norm, 0, 0)); // no pixels
    }

    @Test
    void theFusedSgdTableIsTheAddressesThenEachTensorsFirstChunk() {
        // three tensors: 2049 elements (2 chunks of 2048), none, 2048 (1 chunk)
        long[] in = {0x1000, 0x2000, 0x3000, 0x4000, 0x5000, 0x6000, 0x7000, 0x8000, 0x9000, 2049, 0, 2048};
        long entries = CudaNative.sgdMomentumTableEntries(3);
        assertEquals(16, entries);
        long[] table = new long[16];
        assertEquals(0, CudaNative.sgdMomentumTable(in, 3, table, entries));
        for (int e = 0; e < in.length; e++) {
            assertEquals(in[e], table[e], "entry " + e);
        }
        assertEquals(0, table[12]);
        assertEquals(2, table[13]);
        assertEquals(2, table[14]);
        assertEquals(3, table[15], "total chunks");
        // a wrong table length, a negative count, a null address of a non-empty tensor
        assertEquals(-1, CudaNative.sgdMomentumTable(in, 3, new long[15], 15));
        long[] negative = in.clone();
        negative[10] = -1;
        assertEquals(-1, CudaNative.sgdMomentumTable(negative, 3, table, entries));
        long[] missing = in.clone();
        missing[3] = 0;
        assertEquals(-1, CudaNative.sgdMomentumTable(missing, 3, table, entries));
        // an empty tensor may have no address
        long[] empty = in.clone();
        empty[1] = 0;
        assertEquals(0, CudaNative.sgdMomentumTable(empty, 3, table, entries));
        // the launch checks its arguments before touching a context
        assertEquals(-1, CudaNative.sgdMomentumAll(0L, 0L, 3, 3, 128L, 0.9f, 3e-4f));
        assertEquals(-1, CudaNative.sgdMomentumAll(0L, 64L, 0, 3, 128L, 0.9f, 3e-4f));
        assertEquals(-1, CudaNative.sgdMomentumAll(0L, 64L, 3, -1, 128L, 0.9f, 3e-4f));
        assertEquals(-1, CudaNative.sgdMomentumAll(0L, 64L, 3, 3, 0L, 0.9f, 3e-4f), "the rate's address is null");
    }

    @Test
    void pairKernelWorkspacesAreWhatTheirLayoutsNeed() {
        // packed codes: one uint32 per 32 sign bits per sample, the last word padded
        assertEquals(128L * 1251 * 4, CudaNative.signAgreementWorkspaceBytes(128, 40001));
        assertEquals(3L * 1 * 4, CudaNative.signAgreementWorkspaceBytes(3, 32));
        assertEquals(0, CudaNative.signAgreementWorkspaceBytes(0, 100));
        assertEquals(0, CudaNative.signAgreementWorkspaceBytes(5, 0));
        // Gram: whole float64 N x N slices, none when one slice covers D (short rows, or many tiles)
        for (int n : new int[] {1, 16, 33, 192, 2000}) {
            for (long d : new long[] {1, 4095, 100003, 5_000_000}) {
                long bytes = CudaNative.gramWorkspaceBytes(n, d);
                long slice = (long) n * n * Double.BYTES;
                assertTrue(bytes >= 0 && bytes % slice == 0 && bytes / slice != 1, "N " + n + ", D " + d + ": " + bytes);
                assertTrue(bytes / slice <= 1024, "N " + n + ", D " + d + ": " + bytes / slice + " slices");
            }
        }
        assertEquals(0, CudaNative.gramWorkspaceBytes(16, 4095), "one slice for a row shorter than a slice");
        assertTrue(CudaNative.gramWorkspaceBytes(16, 100003) > 0, "a long row of a small batch is sliced");
    }
}
