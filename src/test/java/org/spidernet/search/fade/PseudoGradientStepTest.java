package org.spidernet.search.fade;

import org.junit.jupiter.api.Test;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.dag.Dag;
import org.spidernet.graph.ir.AlphaGroup;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The outer step on a hand-built batch of two one-stage regions whose advantages are worked out
 * here: centre C, challengers A (in both regions: +0.5 and -0.1), B (first only: +0.3), D (second
 * only: +0.2). Mean: A 0.2, B 0.3, D 0.2; min: A -0.1.
 */
class PseudoGradientStepTest {
    private static final FadeSkeleton ONE = FadeSkeleton.of(InputSpec.FASHION_MNIST, 1, 2, 0);
    private static final Dag C = Dag.parse("3:0-1,1-2").canonical();
    private static final Dag A = Dag.parse("3:0-1,0-2,1-2").canonical();
    private static final Dag B = Dag.parse("3:0-2,1-2").canonical();
    private static final Dag D = Dag.parse("3:0-1,0-2").canonical();

    private static RegionResult result(List<Dag> cells, double... logWeights) {
        return new RegionResult(new FadeRegion(ONE, List.of(cells), AlphaGroup.Mixing.SOFTMAX), new double[][]{logWeights}, 0.5);
    }

    private static final List<RegionResult> BATCH = List.of(
            result(List.of(C, A, B), -1.0, -0.5, -0.7),
            result(List.of(C, D, A), -1.0, -0.8, -1.1));

    @Test
    void meanAggregationMovesToTheBestMeanAdvantage() {
        PseudoGradientStep.Outcome o = PseudoGradientStep.apply(List.of(C), BATCH, PseudoGradientStep.Aggregation.MEAN, 0, 2);
        assertEquals(List.of(B), o.centre());
        List<PseudoGradientStep.CellScore> s = o.scores().get(0);
        assertEquals(B, s.get(0).cell());
        assertEquals(0.3, s.get(0).advantage(), 1e-12);
        assertEquals(0.2, s.stream().filter(x -> x.cell().equals(A)).findFirst().orElseThrow().advantage(), 1e-12);
        assertEquals(2, s.stream().filter(x -> x.cell().equals(A)).findFirst().orElseThrow().regions());
        assertEquals(0.0, s.stream().filter(x -> x.cell().equals(C)).findFirst().orElseThrow().advantage(), 0.0);
        assertEquals(2, o.parents().get(0).size());
        assertEquals(B, o.parents().get(0).get(0));
    }

    @Test
    void minAggregationNeedsAgreementAndTheMarginHoldsTheCentre() {
        PseudoGradientStep.Outcome min = PseudoGradientStep.apply(List.of(C), BATCH, PseudoGradientStep.Aggregation.MIN, 0, 1);
        assertEquals(-0.1, min.scores().get(0).stream().filter(x -> x.cell().equals(A)).findFirst().orElseThrow().advantage(), 1e-12);
        assertEquals(List.of(B), min.centre(), "B's single region gives min = mean = 0.3");
        PseudoGradientStep.Outcome held = PseudoGradientStep.apply(List.of(C), BATCH, PseudoGradientStep.Aggregation.MEAN, 0.35, 1);
        assertEquals(List.of(C), held.centre(), "no advantage exceeds the margin");
        assertEquals(List.of(B), held.parents().get(0), "the next candidates still start from the best-ranked cell");
    }

    @Test
    void aBatchWithoutTheCentreIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PseudoGradientStep.apply(List.of(D), List.of(BATCH.get(0)),
                PseudoGradientStep.Aggregation.MEAN, 0, 1));
    }
}
