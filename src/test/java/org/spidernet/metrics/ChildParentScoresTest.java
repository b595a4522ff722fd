package org.spidernet.metrics;

import org.junit.jupiter.api.Test;
import org.spidernet.backend.reference.ReferenceBackend;
import org.spidernet.graph.EdgeSplit;
import org.spidernet.graph.Genome;
import org.spidernet.graph.InputSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A split's child and parent under one context: the parent is the child with the two new edges off. */
class ChildParentScoresTest {
    private static final InputSpec INPUT = new InputSpec(1, 6, 6, 3);

    @Test
    void parentOfASplitIsTheChildWithTheNewEdgesSwitchedOff() {
        long seed = System.nanoTime();
        try (ReferenceBackend b = new ReferenceBackend()) {
            Genome parentGenome = Genome.initial(INPUT, 2, 1);
            EdgeSplit split = new EdgeSplit(1, 1, 2);
            Genome child = split.applyTo(parentGenome);
            ScoringContext ctx = ScoringContext.of(b, child, seed, Fixtures.images(INPUT, 40, seed));
            for (TrainFreeMetric m : new TrainFreeMetric[]{new LinearRegionCount(2, 50), new Synflow(),
                    new ParameterCount()}) {
                ChildParentScores s = ChildParentScores.score(m, ctx, split);
                assertEquals(m.score(ctx), s.child(), "seed " + seed);
                assertEquals(m.score(ctx, EdgeRef.newEdgesOf(split)), s.parent(), "seed " + seed);
                assertTrue(s.usable(), "seed " + seed + ": " + s);
                assertEquals((s.child().value() - s.parent().value()) / s.parent().value(), s.relativeChange());
            }
            // the new edges carry all seven ops: switching them off removes parameters
            ChildParentScores params = ChildParentScores.score(new ParameterCount(), ctx, split);
            assertTrue(params.relativeChange() > 0);
            assertNotEquals(params.child().value(), params.parent().value());
            // the split's new edges must be in the context's genome: split (0, 1->2) adds 2->3, which
            // the unsplit cell 0 (nodes 0..2) lacks
            ScoringContext onParent = ctx.withGenome(parentGenome);
            assertThrows(IllegalArgumentException.class,
                    () -> ChildParentScores.score(new ParameterCount(), onParent, new EdgeSplit(0, 1, 2)));
        }
    }

    @Test
    void anUnusableSideGivesNoChange() {
        MetricResult ok = MetricResult.of("m", 2, "");
        MetricResult failed = MetricResult.nonFinite("m", Double.NaN, "why");
        ChildParentScores s = new ChildParentScores(ok, failed);
        assertFalse(s.usable());
        assertTrue(Double.isNaN(s.relativeChange()));
        assertEquals(-0.5, new ChildParentScores(MetricResult.of("m", 1, ""), ok).relativeChange());
    }
}
