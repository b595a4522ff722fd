package org.spidernet.backend;

import org.spidernet.graph.ir.PoolGeometry;
import org.spidernet.graph.ir.ConvGeometry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The shared convolution and pooling shape rules ({@link ConvExtents}, {@link PoolExtents}) on
 * shapes alone: which tensor is input- or output-shaped in each pass, what a mistake's message
 * names, the depthwise and degenerate cases the backends branch on, and the subsampled extent;
 * also the per-sample dot operands' rule and the labels' shape.
 */
class ExtentsTest {

    @Test
    void depthwiseMeansGroupsEqualToBothChannelCounts() {
        ConvExtents depthwise = ConvExtents.of("conv2d", "x", new int[] {64, 16, 32, 31}, new int[] {16, 1, 5, 5},
                "y", new int[] {64, 16, 16, 16}, new ConvGeometry(5, 2, 4, 2, 16));
        assertTrue(depthwise.depthwise());
        assertFalse(depthwise.degenerate());
        ConvExtents dense = ConvExtents.of("conv2d", "x", new int[] {2, 3, 32, 32}, new int[] {64, 3, 3, 3}, "y",
                new int[] {2, 64, 32, 32}, ConvGeometry.dense(3, 1, 1));
        assertFalse(dense.depthwise());
        ConvExtents multiplier = ConvExtents.of("conv2d", "x", new int[] {2, 3, 9, 9}, new int[] {6, 1, 3, 3}, "y",
                new int[] {2, 6, 9, 9}, new ConvGeometry(3, 1, 1, 1, 3));
        assertFalse(multiplier.depthwise(), "groups == in_c but out_c = 2 * in_c is grouped, not depthwise");
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
    void emptyBatchesAreDegenerate() {
        ConvExtents e = ConvExtents.of("conv2d", "x", new int[] {0, 4, 8, 8}, new int[] {4, 1, 3, 3}, "y",
                new int[] {0, 4, 8, 8}, new ConvGeometry(3, 1, 1, 1, 4));
        assertTrue(e.degenerate());
    }

    @Test
    void poolOutputsAreCheckedAgainstTheWindow() {
        PoolExtents e = PoolExtents.of("maxPool", "x", new int[] {64, 16, 32, 31}, "y", new int[] {64, 16, 16, 16},
                new PoolGeometry(3, 2, 1));
        assertEquals(1024, e.planes());
        assertFalse(e.empty());
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> PoolExtents.of("avgPool", "x", new int[] {2, 3, 9, 9}, "y", new int[] {2, 3, 9, 8},
                        new PoolGeometry(3, 1, 1)));
        assertTrue(wrong.getMessage().startsWith("avgPool: y has shape [2, 3, 9, 8], expected [2, 3, 9, 9]"),
                wrong.getMessage());
    }

    @Test
    void subsampledExtentIsTheCeiling() {
        assertSubsampled(7, 2, 4);
        assertSubsampled(8, 2, 4);
        assertSubsampled(9, 4, 3);
        assertSubsampled(5, 1, 5);
    }

    @Test
    void subsampleOffsetsLieInsideTheStride() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PoolExtents.subsample(
                "subsample", "x", new int[] {1, 1, 7, 7}, "y", new int[] {1, 1, 4, 4}, 2, 2));
        assertEquals("subsample: offset must be in [0, stride) = [0, 2), got 2", e.getMessage());
    }

    @Test
    void concatenatedBlocksStartWhereThePreviousOnesEnd() {
        ConcatShapes e = new ConcatShapes(2, new int[] {4, 1, 3}, 8, 5, 7);
        assertEquals(3, e.parts());
        assertEquals(0, e.offset(0));
        assertEquals(4, e.offset(1));
        assertEquals(5, e.offset(2));
        assertEquals(35, e.plane());
        e.channels()[0] = 99;  // the record hands out a copy
        assertEquals(4, e.channels(0));
    }

    @Test
    void sampleDotOperandsNeedOneShapeAndASampleDimension() {
        assertEquals(3, ShapeCheck.samplesOfPair("dotPerSample", "a", new int[] {3, 4}, "b", new int[] {3, 4}));
        IllegalArgumentException scalar = assertThrows(IllegalArgumentException.class,
                () -> ShapeCheck.samplesOfPair("gateGradient", "dy", new int[0], "x", new int[0]));
        assertEquals("gateGradient: dy and x need a sample dimension, got shape []", scalar.getMessage());
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                () -> ShapeCheck.samplesOfPair("dotPerSample", "a", new int[] {3, 4}, "b", new int[] {4, 3}));
        assertTrue(mismatch.getMessage().startsWith("dotPerSample: shape mismatch between a [3, 4] and b [4, 3]"));
    }

    @Test
    void labelsAreOnePerRowOfLogits() {
        ClassLabels.checkShape("softmaxCrossEntropy", new int[] {2}, 2, new int[] {2, 5});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClassLabels.checkShape("softmaxCrossEntropy", new int[] {2, 1}, 2, new int[] {2, 5}));
        assertEquals("softmaxCrossEntropy: labels has shape [2, 1], expected [2] for logits [2, 5]", e.getMessage());
    }

    private static void assertSubsampled(int in, int stride, int out) {
        for (int offset = 0; offset < stride; offset++) {
            int o = offset;
            PoolExtents e = PoolExtents.subsample("subsample", "x", new int[] {1, 1, in, in}, "y",
                    new int[] {1, 1, out, out}, stride, o);
            assertEquals(out, e.outH(), "offset " + o);
            assertThrows(IllegalArgumentException.class, () -> PoolExtents.subsample("subsample", "x",
                    new int[] {1, 1, in, in}, "y", new int[] {1, 1, out - 1, out - 1}, stride, o));
        }
    }
}
