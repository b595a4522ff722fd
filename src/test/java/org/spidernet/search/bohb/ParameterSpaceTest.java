package org.spidernet.search.bohb;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ParameterSpaceTest {

    // NAGO's generator ranges: N in [3, 10], K in [2, 5], P in [0.1, 1].
    private final ParameterSpace nago = ParameterSpace.of(Parameter.integer("N", 3, 10), Parameter.integer("K", 2, 5),
            Parameter.continuous("P", 0.1, 1));

    @Test
    void mapsUnitCoordinatesToValues() {
        assertArrayEquals(new double[]{3, 2, 0.1}, nago.values(new Point(0, 0, 0)), 0.0);
        assertArrayEquals(new double[]{10, 5, 1}, nago.values(new Point(1, 1, 1)), 0.0);
        assertArrayEquals(new double[]{7, 4, 0.55}, nago.values(new Point(0.5, 0.5, 0.5)), 1e-15);
        assertEquals(Map.of("N", 3.0, "K", 2.0, "P", 0.1), nago.named(new Point(0, 0, 0)));
        assertEquals(List.of("N", "K", "P"), List.copyOf(nago.named(new Point(0, 0, 0)).keySet()));
        assertEquals(2, nago.indexOf("P"));
    }

    @Test
    void valuesRoundTripThroughPoints() {
        for (double[] v : new double[][]{{3, 2, 0.1}, {10, 5, 1}, {6, 3, 0.37}}) {
            assertArrayEquals(v, nago.values(nago.point(v)), 1e-12);
        }
    }

    @Test
    void uniformUnitCoordinatesGiveEveryIntegerAnEqualShare() {
        Parameter k = Parameter.integer("K", 2, 5);
        int[] counts = new int[4];
        Random r = new Random(7);
        int draws = 40_000;
        for (int i = 0; i < draws; i++) {
            counts[(int) k.value(r.nextDouble()) - 2]++;
        }
        for (int c : counts) {
            assertEquals(0.25, c / (double) draws, 0.01); // binomial sd ~0.002
        }
    }

    @Test
    void rejectsBadParametersAndPoints() {
        assertThrows(IllegalArgumentException.class, () -> Parameter.continuous("x", 1, 1));
        assertThrows(IllegalArgumentException.class, () -> Parameter.continuous("x", 0, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Parameter.continuous(" ", 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Parameter("n", 0.5, 3, true));
        assertThrows(IllegalArgumentException.class, () -> ParameterSpace.of(Parameter.continuous("x", 0, 1),
                Parameter.continuous("x", 0, 2)));
        assertThrows(IllegalArgumentException.class, () -> new ParameterSpace(List.of()));
        assertThrows(IllegalArgumentException.class, () -> nago.values(new Point(0.5, 0.5)));
        assertThrows(IllegalArgumentException.class, () -> nago.point(3, 2, 1.5));
        assertThrows(IllegalArgumentException.class, () -> nago.point(3.5, 2, 0.5));
        assertThrows(IllegalArgumentException.class, () -> nago.indexOf("M"));
        assertThrows(IllegalArgumentException.class, () -> new Point(0.5, 1.0000001));
        assertThrows(IllegalArgumentException.class, () -> new Point(Double.NaN));
        assertThrows(IllegalArgumentException.class, Point::new);
    }

    @Test
    void pointsAreImmutableValues() {
        double[] c = {0.25, 0.75};
        Point p = new Point(c);
        c[0] = 0.9;
        p.coordinates()[1] = 0.1;
        assertEquals(new Point(0.25, 0.75), p);
        assertEquals(new Point(0.25, 0.75).hashCode(), p.hashCode());
    }
}
