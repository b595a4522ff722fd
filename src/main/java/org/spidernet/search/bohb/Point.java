package org.spidernet.search.bohb;

import java.util.Arrays;

/**
 * A configuration in the unit cube [0, 1]^d, the common coordinates in which the samplers work
 * whatever the parameters' real ranges. Immutable: the coordinates are copied in and out.
 */
public final class Point {
    private final double[] u;

    public Point(double... coordinates) {
        if (coordinates.length == 0) {
            throw new IllegalArgumentException("point must have at least one coordinate");
        }
        for (int i = 0; i < coordinates.length; i++) {
            if (!(coordinates[i] >= 0 && coordinates[i] <= 1)) {
                throw new IllegalArgumentException("point coordinate " + i + " must lie in [0, 1], got " + coordinates[i]);
            }
        }
        this.u = coordinates.clone();
    }

    /** A point drawn uniformly from the unit cube, one nextDouble per coordinate. */
    public static Point uniform(int dimension, java.util.Random random) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
        }
        double[] c = new double[dimension];
        for (int i = 0; i < dimension; i++) {
            c[i] = random.nextDouble();
        }
        return new Point(c);
    }

    public int dimension() {
        return u.length;
    }

    public double coordinate(int i) {
        return u[i];
    }

    public double[] coordinates() {
        return u.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Point p && Arrays.equals(u, p.u);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(u);
    }

    @Override
    public String toString() {
        return "Point" + Arrays.toString(u);
    }
}
