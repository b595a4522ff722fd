package org.spidernet.search.autospace;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FitnessUpdateTest {
    @Test
    void aUniformShareIsWorthOneWhateverTheMixSize() {
        assertEquals(1.0, FitnessUpdate.value(0.25, 4), 1e-15);
        assertEquals(1.0, FitnessUpdate.value(1.0 / 3, 3), 1e-15);
        assertEquals(1.0, FitnessUpdate.value(1.0, 1), 0);
        assertEquals(2.4, FitnessUpdate.value(0.6, 4), 1e-15);
        assertEquals(0.0, FitnessUpdate.value(0.0, 5), 0);
    }

    @Test
    void theFirstValueReplacesTheNeutralPriorAndLaterOnesAreAveraged() {
        assertEquals(2.4, FitnessUpdate.update(FitnessUpdate.NEUTRAL, 0, 2.4, 0.3), 0);
        // 0.7 * 2.4 + 0.3 * 0.4 = 1.68 + 0.12
        assertEquals(1.8, FitnessUpdate.update(2.4, 1, 0.4, 0.3), 1e-12);
        // then 0.7 * 1.8 + 0.3 * 1.0 = 1.26 + 0.3
        assertEquals(1.56, FitnessUpdate.update(1.8, 2, 1.0, 0.3), 1e-12);
        assertEquals(0.4, FitnessUpdate.update(2.4, 7, 0.4, 1.0), 0, "momentum 1 keeps only the latest value");
    }

    @Test
    void outOfRangeArgumentsAreRejectedByName() {
        assertMessage("AutoSpace fitness: mixing weight 1.5 is not in [0, 1]", () -> FitnessUpdate.value(1.5, 4));
        assertMessage("AutoSpace fitness: mixing weight NaN is not in [0, 1]", () -> FitnessUpdate.value(Double.NaN, 4));
        assertMessage("AutoSpace fitness: 0 cells mixed, needs at least 1", () -> FitnessUpdate.value(0.5, 0));
        assertMessage("AutoSpace fitness: momentum 0.0 is not in (0, 1]", () -> FitnessUpdate.update(1, 1, 1, 0));
        assertMessage("AutoSpace fitness: momentum 1.1 is not in (0, 1]", () -> FitnessUpdate.update(1, 1, 1, 1.1));
        assertMessage("AutoSpace fitness: evaluation count -1 is negative", () -> FitnessUpdate.update(1, -1, 1, 0.5));
        assertMessage("AutoSpace fitness: value Infinity is not a finite non-negative number",
                () -> FitnessUpdate.update(1, 1, Double.POSITIVE_INFINITY, 0.5));
        assertMessage("AutoSpace fitness: value -0.5 is not a finite non-negative number",
                () -> FitnessUpdate.update(1, 1, -0.5, 0.5));
    }

    private static void assertMessage(String message, Runnable call) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, call::run).getMessage());
    }
}
