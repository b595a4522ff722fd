package org.spidernet.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.spidernet.backend.ConvExtents;
import org.spidernet.graph.ir.ConvGeometry;
import org.spidernet.backend.PoolExtents;
import org.spidernet.graph.ir.PoolGeometry;

/**
 * What the CUDA kernels allow beyond the shared shape rules, checked before any native call: the
 * extents arrays handed to the C API (their order is the C side's contract), the grid and kernel
 * limits and float32 scalars. Needs no device; runs on every machine.
 */
class KernelLimitsTest {

    @Test
    void convDimsFollowTheCApiOrder() {
        ConvExtents e = ConvExtents.of("conv2d", "x", new int[] {64, 16, 32, 31}, new int[] {16, 1, 5, 5}, "y",
                new int[] {64, 16, 16, 16}, new ConvGeometry(5, 2, 4, 2, 16));
        // batch, in_c, in_h, in_w, out_c, out_h, out_w, kernel, stride, padding, dilation, groups
        int[] dims = KernelLimits.convDims("conv2d", e);
        assertArrayEquals(new int[] {64, 16, 32, 31, 16, 16, 16, 5, 2, 4, 2, 16}, dims);
        assertEquals(CudaNative.CONV_DIMS, dims.length);
        ConvExtents pointwise = ConvExtents.of("conv2d", "x", new int[] {2, 64, 8, 8}, new int[] {64, 64, 1, 1}, "y",
                new int[] {2, 64, 8, 8}, ConvGeometry.dense(1, 1, 0));
        assertArrayEquals(new int[] {2, 64, 8, 8, 64, 8, 8, 1, 1, 0, 1, 1}, KernelLimits.convDims("conv2d", pointwise));
    }

    @Test
    void convolutionsBeyondTheKernelsAreArgumentErrors() {
        ConvExtents wide = ConvExtents.of("conv2d", "x", new int[] {1, 1, 65, 65}, new int[] {1, 1, 65, 65}, "y",
                new int[] {1, 1, 1, 1}, ConvGeometry.dense(65, 1, 0));
        IllegalArgumentException kernel = assertThrows(IllegalArgumentException.class,
                () -> KernelLimits.convDims("conv2d", wide));
        assertEquals("conv2d: kernel 65 is larger than the kernels' limit of 64", kernel.getMessage());
        ConvExtents heavy = ConvExtents.of("conv2dBackwardFilter", "x", new int[] {1, 32768, 8, 8},
                new int[] {8192, 32768, 3, 3}, "dy", new int[] {1, 8192, 8, 8}, ConvGeometry.dense(3, 1, 1));
        IllegalArgumentException weights = assertThrows(IllegalArgumentException.class,
                () -> KernelLimits.convDims("conv2dBackwardFilter", heavy));
        assertEquals("conv2dBackwardFilter: [8192, 32768, 3, 3] has 2^31 or more weights, beyond the "
                + "filter-gradient kernels' grid", weights.getMessage());
    }

    @Test
    void poolDimsFollowTheCApiOrder() {
        PoolExtents e = PoolExtents.of("maxPool", "x", new int[] {64, 16, 32, 31}, "y", new int[] {64, 16, 16, 16},
                new PoolGeometry(3, 2, 1));
        // planes, in_h, in_w, out_h, out_w, kernel, stride, padding
        int[] dims = KernelLimits.poolDims(e);
        assertArrayEquals(new int[] {1024, 32, 31, 16, 16, 3, 2, 1}, dims);
        assertEquals(CudaNative.POOL_DIMS, dims.length);
    }

    @Test
    void perSampleOpsStopAtTheGridLimit() {
        assertEquals(65535, KernelLimits.samples("dotPerSample", "a", new int[] {65535, 2}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelLimits.samples("dotPerSample", "a", new int[] {65536, 2}));
        assertEquals("dotPerSample: a [65536, 2] has more than 65535 samples, the per-sample kernels' grid limit",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KernelLimits.samples("dotPerSample", "a", new int[0]));
    }

    @Test
    void float32ScalarsRejectOverflowButKeepInfinities() {
        assertEquals(0.1f, KernelLimits.toFloat("sgdMomentum", "lr", 0.1));
        assertEquals(Float.POSITIVE_INFINITY, KernelLimits.toFloat("sgdMomentum", "lr", Double.POSITIVE_INFINITY));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelLimits.toFloat("sgdMomentum", "lr", 1e300));
        assertTrue(e.getMessage().contains("float32"), e.getMessage());
    }
}
