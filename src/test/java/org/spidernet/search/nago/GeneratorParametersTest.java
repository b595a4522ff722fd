package org.spidernet.search.nago;

import org.junit.jupiter.api.Test;
import org.spidernet.search.bohb.Point;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generator box's corners are NAGO's range ends, and NagoSettings refuses bad options in one line. */
class GeneratorParametersTest {
    private static Point corner(double u) {
        double[] c = new double[GeneratorParameters.SPACE.dimension()];
        Arrays.fill(c, u);
        return new Point(c);
    }

    @Test
    void theCornersAreTheRangeEnds() {
        assertEquals(new NagoGenerator(3, 2, 0.1, 3, 0.2, 3, 2, 0.1), GeneratorParameters.generator(corner(0)));
        assertEquals(new NagoGenerator(10, 5, 1, 10, 1, 10, 5, 1), GeneratorParameters.generator(corner(1)));
        assertEquals(8, GeneratorParameters.SPACE.dimension());
    }

    @Test
    void settingsRefuseBadValuesInOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NagoSettings(2, 3, 2, 1, 100));
        assertEquals("nago option max-epochs must be >= min-epochs (3), got 2", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new NagoSettings(1, 1, 2, 1, 100));
        assertThrows(IllegalArgumentException.class, () -> new NagoSettings(2, 1, 2, 0, 100));
        // the paper's budgets: s_max = 2, and the first bracket's 4 x 30 + 2 x 60 + 1 x 120 epochs per sample
        NagoSettings paper = new NagoSettings(2, 30, 120, 3, 4_000_000);
        assertEquals(2, paper.hyperband().sMax());
        assertEquals(3 * 360, paper.epochsOf(paper.bracket(0)));
        assertTrue(paper.epochsOf(paper.bracket(2)) > 0);
    }
}
