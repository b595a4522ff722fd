package org.spidernet.search.autospace;

import org.junit.jupiter.api.Test;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.PlanOptions;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.ir.Shape;

import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The target presets: their layers' widths and strides, what {@code auto} picks, and the ranges refused. */
class TargetNetworkTest {

    @Test
    void smallHasAStagePerReductionAndDoublesTheWidth() {
        TargetNetwork t = TargetNetwork.small(InputSpec.FASHION_MNIST, 8, 2, 2);
        assertEquals(List.of(new TargetLayer(8, 1), new TargetLayer(8, 1), new TargetLayer(16, 2), new TargetLayer(16, 1),
                new TargetLayer(32, 2), new TargetLayer(32, 1)), t.layers());
        assertEquals(1, t.stemStride());
        assertEquals(t, TargetNetwork.of("auto", InputSpec.FASHION_MNIST, 8, 2, 2));
    }

    @Test
    void mobileFollowsMobileNetV2ForLargerImages() {
        InputSpec big = new InputSpec(3, 64, 64, 100);
        TargetNetwork t = TargetNetwork.of("auto", big, 16, 2, 1);
        assertEquals(2, t.stemStride());
        assertEquals(List.of(16, 24, 32, 64, 96, 160, 320), t.layers().stream().map(TargetLayer::channels).toList());
        assertEquals(List.of(1, 2, 2, 2, 1, 2, 1), t.layers().stream().map(TargetLayer::stride).toList());
        // 64 -> 32 (stem) -> 16 -> 8 -> 4 -> 2: the network plans and ends on a 2x2 map
        AutoNetwork n = new AutoNetwork(t, Collections.nCopies(t.size(), AutoCell.parse(
                "0>1:sep_conv_3x3 1>2:skip_connect 2>3:max_pool_3x3 3>4:dil_conv_3x3")));
        ExecutionPlan plan = ExecutionPlan.compile(n.lower(), 2, 4, PlanOptions.TRAINING);
        assertTrue(plan.parameterCount() > 0);
        Shape last = null;
        for (var node : n.lower().nodes()) {
            if (node.name().equals("layer6.e3_4.dil_conv_3x3.bn")) {
                last = node.shape();
            }
        }
        assertEquals(Shape.map(320, 2, 2), last);
    }

    @Test
    void rangesAreRefusedInOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TargetNetwork.of("huge", InputSpec.FASHION_MNIST, 8, 2, 1));
        assertEquals("autospace option target must be one of [auto, small, mobile], got 'huge'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TargetNetwork.small(InputSpec.FASHION_MNIST, 8, 2, 6));
        assertEquals("autospace option layers-per-stage must be in 1..5 for 2 reductions, got 6", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TargetNetwork.small(new InputSpec(1, 4, 4, 2), 4, 3, 1));
        assertTrue(e.getMessage().contains("leave nothing of a 4x4 input"), e.getMessage());
    }
}
