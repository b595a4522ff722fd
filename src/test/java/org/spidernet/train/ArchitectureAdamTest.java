package org.spidernet.train;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Adam's defining properties on fresh random weights and gradients: the first bias-corrected step
 * moves every weight by lr against the sign of its L2-decayed gradient, whatever the gradient's
 * size; without decay a constant gradient keeps moving it by lr per step; a restored state
 * continues exactly.
 * Tolerance: lr x 2 eps / |d|, what eps can shorten a step by (d the decayed gradient).
 */
class ArchitectureAdamTest {

    @Test
    void firstStepsMoveByTheLearningRateAgainstTheDecayedGradient() {
        Random r = new Random();
        int n = 50;
        double lr = 1e-3 * (1 + r.nextDouble());
        double[] a = new double[n];
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextGaussian();
            g[i] = r.nextGaussian() * Math.pow(10, r.nextInt(5) - 2);
        }
        // the first step, with weight decay: -lr * sign(g + wd * a)
        ArchitectureAdam decayed = new ArchitectureAdam(n, lr, 0.5, 0.999, 1e-3);
        double[] d1 = a.clone();
        decayed.step(d1, g);
        for (int i = 0; i < n; i++) {
            double d = g[i] + 1e-3 * a[i];
            assertEquals(-lr * Math.signum(d), d1[i] - a[i], lr * 2e-8 / Math.abs(d), "decayed step, weight " + i);
        }
        // without decay a constant gradient keeps every step at -lr * sign(g)
        ArchitectureAdam plain = new ArchitectureAdam(n, lr, 0.5, 0.999, 0);
        for (int step = 0; step < 3; step++) {
            double[] before = a.clone();
            plain.step(a, g);
            for (int i = 0; i < n; i++) {
                assertEquals(-lr * Math.signum(g[i]), a[i] - before[i], lr * 2e-8 / Math.abs(g[i]) + 1e-15,
                        "step " + step + ", weight " + i);
            }
        }
    }

    @Test
    void aRestoredStateContinuesExactly() {
        Random r = new Random();
        ArchitectureAdam one = ArchitectureAdam.darts(8);
        double[] a = new double[8];
        double[] g = new double[8];
        for (int s = 0; s < 5; s++) {
            for (int i = 0; i < 8; i++) {
                g[i] = r.nextGaussian();
            }
            one.step(a, g);
        }
        ArchitectureAdam two = ArchitectureAdam.darts(8);
        two.restore(one.state());
        double[] a2 = a.clone();
        one.step(a, g);
        two.step(a2, g);
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(a2));
        assertThrows(IllegalArgumentException.class, () -> ArchitectureAdam.darts(3).restore(one.state()));
        assertThrows(IllegalArgumentException.class, () -> new ArchitectureAdam(3, 0, 0.5, 0.9, 0));
    }
}
