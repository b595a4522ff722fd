package org.spidernet.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.spidernet.backend.ConvGeometry;
import org.spidernet.backend.PoolGeometry;

/**
 * The CUDA backend's host-side logic that needs no device: the extents arrays handed to the C
 * API (their order is the C side's contract), the depthwise / grouped kernel choice, and the
 * argument checks that run before any native call. Runs on every machine.
 */
class CudaArgumentChecksTest {

    @Test
    void convExtentsFollowTheCApiOrder() {
        ConvGeometry g = new ConvGeometry(5, 2, 4, 2, 16);
        ConvExtents e = ConvExtents.of("conv2d", "x", new int[] {64, 16, 32, 31}, new int[] {16, 1, 5, 5}, "y",
                new int[] {64, 16, 16, 16}, g);
        // batch, in_c, in_h, in_w, out_c, out_h, out_w, kernel, stride, padding, dilation, groups
        assertArrayEquals(new int[] {64, 16, 32, 31, 16, 16, 16, 5, 2, 4, 2, 16}, e.toArray());
        assertEquals(CudaNative.CONV_DIMS, e.toArray().length);
        assertTrue(e.depthwise());
        assertFalse(e.degenerate());
    }

    @Test
    void denseGroupedAndMultiplierShapesAreNotDepthwise() {
        ConvExtents dense = ConvExtents.of("conv2d", "x", new int[] {2, 3, 32, 32}, new int[] {64, 3, 3, 3}, "y",
                new int[] {2, 64, 32, 32}, ConvGeometry.dense(3, 1, 1));
        assertFalse(dense.depthwise());
        ConvExtents multiplier = ConvExtents.of("conv2d", "x", new int[] {2, 3, 9, 9}, new int[] {6, 1, 3, 3}, "y",
                new int[] {2, 6, 9, 9}, new ConvGeometry(3, 1, 1, 1, 3));
        assertFalse(multiplier.depthwise(), "groups == in_c but out_c = 2 * in_c takes the grouped kernels");
        ConvExtents pointwise = ConvExtents.of("conv2d", "x", new int[] {2, 64, 8, 8}, new int[] {64, 64, 1, 1}, "y",
                new int[] {2, 64, 8, 8}, ConvGeometry.dense(1, 1, 0));
        assertArrayEquals(new int[] {2, 64, 8, 8, 64, 8, 8, 1, 1, 0, 1, 1}, pointwise.toArray());
    }

    @Test
    void backwardCallsCheckTheInputShapedTensorAgainstTheOutputShapedOne() {
        // conv2dBackwardData passes dx as the input-shaped tensor and dy as the output-shaped one
        ConvExtents e = ConvExtents.of("conv2dBackwardData", "dx", new int[] {2, 8, 15, 15}, new int[] {8, 1, 3, 3},
                "dy", new int[] {2, 8, 8, 8}, new ConvGeometry(3, 2, 1, 1, 8));
        assertEquals(8, e.outH());
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> ConvExtents.of("conv2dBackwardData", "dx", new int[] {2, 8, 15, 15}, new int[] {8, 1, 3, 3},
                        "dy", new int[] {2, 8, 7, 8}, new ConvGeometry(3, 2, 1, 1, 8)));
        assertTrue(wrong.getMessage().startsWith("conv2dBackwardData: dy has shape [2, 8, 7, 8], expected [2, 8, 8, 8]"),
                wrong.getMessage());
    }

    @Test
    void convMistakesNameTheShapes() {
        IllegalArgumentException weights = assertThrows(IllegalArgumentException.class,
                () -> ConvExtents.of("conv2d", "x", new int[] {2, 3, 5, 7}, new int[] {4, 2, 3, 3}, "y",
                        new int[] {2, 4, 5, 7}, ConvGeometry.dense(3, 1, 1)));
        assertTrue(weights.getMessage().contains("[4, 2, 3, 3]") && weights.getMessage().contains("[4, 3, 3, 3]"),
                weights.getMessage());
        IllegalArgumentException groups = assertThrows(IllegalArgumentException.class,
                () -> ConvExtents.of("conv2d", "x", new int[] {2, 5, 8, 8}, new int[] {4, 1, 3, 3}, "y",
                        new int[] {2, 4, 8, 8}, new ConvGeometry(3, 1, 1, 1, 2)));
        assertTrue(groups.getMessage().contains("not divisible by groups"), groups.getMessage());
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> ConvExtents.of("conv2d", "x", new int[] {1, 4, 2, 2}, new int[] {4, 1, 5, 5}, "y",
                        new int[] {1, 4, 0, 0}, new ConvGeometry(5, 1, 0, 1, 4)));
        assertTrue(small.getMessage().contains("smaller than the dilated kernel"), small.getMessage());
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> ConvExtents.of("conv2d", "x", new int[] {4, 8, 8}, new int[] {4, 1, 3, 3}, "y",
                        new int[] {1, 4, 8, 8}, new ConvGeometry(3, 1, 1, 1, 4)));
        assertEquals("conv2d: x must have rank 4, got shape [4, 8, 8]", rank.getMessage());
    }

    @Test
    void emptyBatchesAreDegenerateAndNeverReachTheKernels() {
        ConvExtents e = ConvExtents.of("conv2d", "x", new int[] {0, 4, 8, 8}, new int[] {4, 1, 3, 3}, "y",
                new int[] {0, 4, 8, 8}, new ConvGeometry(3, 1, 1, 1, 4));
        assertTrue(e.degenerate());
    }

    @Test
    void poolExtentsFollowTheCApiOrder() {
        PoolExtents e = PoolExtents.of("maxPool", "x", new int[] {64, 16, 32, 31}, "y", new int[] {64, 16, 16, 16},
                new PoolGeometry(3, 2, 1));
        // planes, in_h, in_w, out_h, out_w, kernel, stride, padding
        assertArrayEquals(new int[] {1024, 32, 31, 16, 16, 3, 2, 1}, e.toArray());
        assertEquals(CudaNative.POOL_DIMS, e.toArray().length);
        assertFalse(e.empty());
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> PoolExtents.of("avgPool", "x", new int[] {2, 3, 9, 9}, "y", new int[] {2, 3, 9, 8},
                        new PoolGeometry(3, 1, 1)));
        assertTrue(wrong.getMessage().startsWith("avgPool: y has shape [2, 3, 9, 8], expected [2, 3, 9, 9]"),
                wrong.getMessage());
    }

    @Test
    void perSampleOpsStopAtTheGridLimit() {
        assertEquals(65535, Checks.samples("dotPerSample", "a", new int[] {65535, 2}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checks.samples("dotPerSample", "a", new int[] {65536, 2}));
        assertTrue(e.getMessage().contains("65535"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Checks.samples("dotPerSample", "a", new int[0]));
    }

    @Test
    void float32ScalarsRejectOverflowButKeepInfinities() {
        assertEquals(0.1f, Checks.toFloat("sgdMomentum", "lr", 0.1));
        assertEquals(Float.POSITIVE_INFINITY, Checks.toFloat("sgdMomentum", "lr", Double.POSITIVE_INFINITY));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checks.toFloat("sgdMomentum", "lr", 1e300));
        assertTrue(e.getMessage().contains("float32"), e.getMessage());
    }

    @Test
    void subsampledExtentIsTheCeiling() {
        assertEquals(4, CudaBackend.subsampledSize(7, 2));
        assertEquals(4, CudaBackend.subsampledSize(8, 2));
        assertEquals(3, CudaBackend.subsampledSize(9, 4));
        assertEquals(5, CudaBackend.subsampledSize(5, 1));
    }
}
