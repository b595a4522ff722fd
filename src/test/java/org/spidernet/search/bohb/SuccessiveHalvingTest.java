package org.spidernet.search.bohb;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SuccessiveHalvingTest {

    @Test
    void scheduleKeepsFloorOfNOverEtaToTheI() {
        assertEquals(List.of(new Rung(10, 2), new Rung(3, 6), new Rung(1, 18)),
                SuccessiveHalving.schedule(10, 2, 3, 3));
        assertEquals(List.of(new Rung(7, 0.5)), SuccessiveHalving.schedule(7, 0.5, 2, 1));
    }

    @Test
    void scheduleRefusesRungsThatWouldBeEmpty() {
        assertThrows(IllegalArgumentException.class, () -> SuccessiveHalving.schedule(8, 1, 3, 3)); // 8, 2, 0
        assertThrows(IllegalArgumentException.class, () -> SuccessiveHalving.schedule(0, 1, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> SuccessiveHalving.schedule(3, 0, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> SuccessiveHalving.schedule(3, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> SuccessiveHalving.schedule(3, 1, 3, 0));
    }

    @Test
    void promoteKeepsTheLowestLossesBestFirstAndTiesByEarlierIndex() {
        List<Double> losses = List.of(0.5, 0.2, 0.9, 0.2, 0.1, 0.5);
        assertEquals(List.of(4, 1, 3), SuccessiveHalving.promote(losses, 3));
        assertEquals(List.of(4, 1, 3, 0, 5, 2), SuccessiveHalving.promote(losses, 6));
        assertEquals(List.of(), SuccessiveHalving.promote(losses, 0));
        // Infinite losses are allowed (a diverged run still ranks last); NaN is not a loss.
        assertEquals(List.of(1), SuccessiveHalving.promote(List.of(Double.POSITIVE_INFINITY, 3.0), 1));
        assertThrows(IllegalArgumentException.class, () -> SuccessiveHalving.promote(List.of(1.0, Double.NaN), 1));
        assertThrows(IllegalArgumentException.class, () -> SuccessiveHalving.promote(losses, 7));
        assertThrows(IllegalArgumentException.class, () -> SuccessiveHalving.promote(losses, -1));
    }

    @Test
    void promoteResultsByLossFunction() {
        record Trial(String config, double loss) {
        }
        List<Trial> rung = List.of(new Trial("a", 3), new Trial("b", 1), new Trial("c", 2), new Trial("d", 1));
        assertEquals(List.of(rung.get(1), rung.get(3)), SuccessiveHalving.promote(rung, Trial::loss, 2));
    }
}
