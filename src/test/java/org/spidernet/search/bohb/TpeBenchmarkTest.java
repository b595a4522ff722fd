package org.spidernet.search.bohb;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model earns its place: on synthetic functions over [0, 1]^8 with a known optimum (loss 0 at
 * {@link #OPTIMUM}), BOHB's TPE sampler with its defaults (a third of its proposals uniform)
 * finds a lower best loss in 60 evaluations than 60 uniform points, seed after seed.
 *
 * <p>Measured (seeds 1..10, random baseline drawn from Random(seed ^ 0xABCDEF)):
 * sphere: TPE wins 9 of 10, mean best loss 0.1013 vs 0.2407;
 * Rosenbrock: TPE wins 9 of 10, mean best loss 279.2 vs 1217.0.
 * Over seeds 1..20 the wins were 18 of 20 on both. The assertions ask for 8 of 10 wins and a mean
 * below 0.7 times random's, room for one more unlucky seed without passing a sampler that only
 * matches random. (On an ill-conditioned ellipsoid rotated 45 degrees in coordinate pairs, which
 * defeats the product density, TPE still won 13 of 20 with mean 2.19 vs 3.36; not asserted.)
 */
class TpeBenchmarkTest {
    static final int EVALUATIONS = 60;
    static final int SEEDS = 10;
    static final double[] OPTIMUM = {0.27, 0.71, 0.43, 0.88, 0.15, 0.56, 0.34, 0.62};

    /** Shifted sphere: sum (x_i - c_i)^2, separable, minimum 0 at c. */
    static double sphere(Point p) {
        double s = 0;
        for (int i = 0; i < OPTIMUM.length; i++) {
            double z = p.coordinate(i) - OPTIMUM[i];
            s += z * z;
        }
        return s;
    }

    /**
     * Rosenbrock's valley in 8 dimensions, y = 4 (x - c) + 1 so that the cube covers y in roughly
     * [-2, 2]^8 and the minimum 0 sits at x = c: coupled coordinates and a curved valley, which an
     * axis-aligned product density does not fit by construction.
     */
    static double rosenbrock(Point p) {
        double[] y = new double[OPTIMUM.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = 4 * (p.coordinate(i) - OPTIMUM[i]) + 1;
        }
        double s = 0;
        for (int i = 0; i + 1 < y.length; i++) {
            s += 100 * (y[i + 1] - y[i] * y[i]) * (y[i + 1] - y[i] * y[i]) + (1 - y[i]) * (1 - y[i]);
        }
        return s;
    }

    /** Best loss of TPE and of uniform random sampling, each over EVALUATIONS points. */
    static double[] bestLosses(ToDoubleFunction<Point> f, long seed) {
        TpeSampler tpe = TpeSampler.bohb(OPTIMUM.length);
        Random r = new Random(seed);
        List<Observation> history = new ArrayList<>();
        double tpeBest = Double.POSITIVE_INFINITY;
        for (int i = 0; i < EVALUATIONS; i++) {
            Point x = tpe.propose(history, r);
            double loss = f.applyAsDouble(x);
            history.add(new Observation(x, loss));
            tpeBest = Math.min(tpeBest, loss);
        }
        Random u = new Random(seed ^ 0xABCDEFL);
        double randomBest = Double.POSITIVE_INFINITY;
        for (int i = 0; i < EVALUATIONS; i++) {
            randomBest = Math.min(randomBest, f.applyAsDouble(Point.uniform(OPTIMUM.length, u)));
        }
        return new double[]{tpeBest, randomBest};
    }

    static void assertTpeBeatsRandom(String name, ToDoubleFunction<Point> f) {
        int wins = 0;
        double tpeMean = 0;
        double randomMean = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            double[] b = bestLosses(f, seed);
            wins += b[0] < b[1] ? 1 : 0;
            tpeMean += b[0] / SEEDS;
            randomMean += b[1] / SEEDS;
        }
        String figures = String.format("%s: TPE wins %d of %d seeds, mean best loss TPE %.4f vs random %.4f", name, wins,
                SEEDS, tpeMean, randomMean);
        System.out.println(figures);
        assertTrue(wins >= 8, figures);
        assertTrue(tpeMean < 0.7 * randomMean, figures);
    }

    @Test
    void beatsRandomSearchOnShiftedSphere() {
        assertTpeBeatsRandom("sphere d=8", TpeBenchmarkTest::sphere);
    }

    @Test
    void beatsRandomSearchOnShiftedRosenbrock() {
        assertTpeBeatsRandom("rosenbrock d=8", TpeBenchmarkTest::rosenbrock);
    }
}
