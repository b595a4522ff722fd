package org.spidernet.metrics;

import org.junit.jupiter.api.Test;
import org.spidernet.backend.reference.ReferenceBackend;
import org.spidernet.graph.Cell;
import org.spidernet.graph.Edge;
import org.spidernet.graph.Genome;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.OpType;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** params and macs against counts by hand, for the network and for its parent. */
class CountsTest {
    private static final int C = 2;
    private static final int CLASSES = 3;
    private static final int HW = 4 * 4;

    /** One cell: 0 -(dil_conv_3x3)-> 1 -(avg_pool_3x3)-> 2, width 2, 1-channel 4x4 images, 3 classes. */
    private static ScoringContext context(ReferenceBackend b) {
        InputSpec in = new InputSpec(1, 4, 4, CLASSES);
        Genome g = new Genome(in, C, 0, List.of(new Cell(0, 1, 3, List.of(
                new Edge(0, 1, List.of(OpType.DIL_CONV_3X3)),
                new Edge(1, 2, List.of(OpType.AVG_POOL_3X3))))));
        return ScoringContext.of(b, g, 1, Fixtures.images(in, 2, 1));
    }

    @Test
    void parametersByHand() {
        int stem = C * 1 * 9 + 2 * C;          // 3x3 conv 1 -> C, BN
        int inputNode = 2 * C;                 // cell 0's input BN (channels match: no adapter)
        int dilConv = C * 9 + C * C + 2 * C;   // depthwise 3x3, pointwise 1x1, BN
        int nodes = 2 * (2 * C);               // node 1 and node 2 BNs
        int head = CLASSES * C + CLASSES;      // linear with bias
        try (ReferenceBackend b = new ReferenceBackend()) {
            ScoringContext ctx = context(b);
            assertEquals(stem + inputNode + dilConv + nodes + head, new ParameterCount().score(ctx).value());
            assertEquals(stem + inputNode + nodes + head,
                    new ParameterCount().score(ctx, Set.of(new EdgeRef(0, 0, 1))).value());
        }
    }

    @Test
    void macsByHand() {
        int stem = 9 * C * HW;             // every output: 9 taps of the one input channel
        int depthwise = 9 * C * HW;        // every output: 9 taps of its own channel
        int pointwise = C * C * HW;        // every output: C input channels
        int head = CLASSES * C;            // pooling is not a MAC
        try (ReferenceBackend b = new ReferenceBackend()) {
            ScoringContext ctx = context(b);
            assertEquals(stem + depthwise + pointwise + head, new MacCount().score(ctx).value());
            assertEquals(stem + head, new MacCount().score(ctx, Set.of(new EdgeRef(0, 0, 1))).value());
        }
    }

    @Test
    void unknownEdgeIsRejected() {
        try (ReferenceBackend b = new ReferenceBackend()) {
            ScoringContext ctx = context(b);
            assertThrows(IllegalArgumentException.class, () -> new MacCount().score(ctx, Set.of(new EdgeRef(0, 0, 2))));
            assertThrows(IllegalArgumentException.class,
                    () -> new Synflow().score(ctx, Set.of(new EdgeRef(1, 0, 1))));
        }
    }
}
