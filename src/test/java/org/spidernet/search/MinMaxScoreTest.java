package org.spidernet.search;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class MinMaxScoreTest {

    @Test
    void spiderNetsRuleWorkedByHand() {
        // lrc (higher better) 10, 20, 30 -> norm 0, 0.5, 1; kappa (lower better) 5, 1, 3 -> norm 1, 0, 0.5.
        // score = 0.5 * ((1 - norm lrc) + norm kappa): 1.0, 0.25, 0.25
        List<Map<String, Double>> c = List.of(Map.of("lrc", 10.0, "kappa", 5.0), Map.of("lrc", 20.0, "kappa", 1.0),
                Map.of("lrc", 30.0, "kappa", 3.0));
        double[] s = MinMaxScore.of(c, List.of("lrc", "kappa"), "lrc"::equals);
        assertArrayEquals(new double[]{1.0, 0.25, 0.25}, s, 1e-15);
    }

    @Test
    void equalValuesNormaliseToZero() {
        double[] s = MinMaxScore.of(List.of(Map.of("lrc", 7.0)), List.of("lrc"), m -> true);
        assertArrayEquals(new double[]{1.0}, s, 0.0); // higher-is-better: 1 - 0
    }
}
