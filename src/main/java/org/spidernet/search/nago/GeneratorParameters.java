package org.spidernet.search.nago;

import org.spidernet.search.bohb.Parameter;
import org.spidernet.search.bohb.ParameterSpace;
import org.spidernet.search.bohb.Point;

/**
 * The eight numbers of a {@link NagoGenerator} as the box BOHB searches, with the public NAGO
 * code's ranges: nodes 3..10 and K 2..5 at every level, P 0.1..1 (0.2..1 in the middle).
 */
public final class GeneratorParameters {
    public static final ParameterSpace SPACE = ParameterSpace.of(
            Parameter.integer("top_nodes", 3, 10),
            Parameter.integer("top_k", 2, 5),
            Parameter.continuous("top_p", 0.1, 1),
            Parameter.integer("mid_nodes", 3, 10),
            Parameter.continuous("mid_p", 0.2, 1),
            Parameter.integer("bottom_nodes", 3, 10),
            Parameter.integer("bottom_k", 2, 5),
            Parameter.continuous("bottom_p", 0.1, 1));

    private GeneratorParameters() {
    }

    /** The generator at a point of the unit cube. */
    public static NagoGenerator generator(Point p) {
        double[] v = SPACE.values(p);
        return new NagoGenerator(whole(v[0]), whole(v[1]), v[2], whole(v[3]), v[4], whole(v[5]), whole(v[6]), v[7]);
    }

    private static int whole(double v) {
        return (int) Math.round(v);
    }
}
