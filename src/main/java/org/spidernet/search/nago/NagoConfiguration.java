package org.spidernet.search.nago;

import org.spidernet.search.bohb.Point;

/**
 * A generator BOHB proposed: its index over the whole search (which seeds its networks), the
 * bracket that proposed it, and its point in {@link GeneratorParameters#SPACE}.
 */
public record NagoConfiguration(int index, int bracket, Point point) {
    public NagoConfiguration {
        if (index < 0 || bracket < 0 || point == null || point.dimension() != GeneratorParameters.SPACE.dimension()) {
            throw new IllegalArgumentException("NAGO configuration " + index + " of bracket " + bracket + " is malformed");
        }
    }

    public NagoGenerator generator() {
        return GeneratorParameters.generator(point);
    }
}
