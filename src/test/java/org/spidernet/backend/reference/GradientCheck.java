package org.spidernet.backend.reference;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;
import org.spidernet.backend.Backend;
import org.spidernet.backend.Tensor;

/**
 * Checks an op's backward pass against central finite differences of its forward pass, in
 * float64.
 *
 * <p>The caller supplies a scalar loss (normally the random projection L = sum(r * y), so that
 * every output element matters), the backward call that produces dL/d(input) with dy = r, and
 * the (input, gradient) tensor pairs to check. The gradients are pre-filled with random values
 * before the backward call and the check compares {@code after - before} with the numerical
 * gradient, so a backward op that overwrites instead of accumulating fails.
 *
 * <p>Tolerance: with step h = 1e-5 the central difference has truncation error O(h^2) (zero for
 * ops that are linear in the perturbed input) and rounding error about 1e-16 * |L| / h, so for
 * the O(1)-sized test problems each element must satisfy
 * {@code |analytic - numeric| <= 1e-8 + 1e-6 * max(|analytic|, |numeric|)}: a relative error
 * below 1e-6, with an absolute floor for gradients that are close to zero.
 */
final class GradientCheck {
    static final double STEP = 1e-5;
    static final double RELATIVE_TOLERANCE = 1e-6;
    static final double ABSOLUTE_TOLERANCE = 1e-8;

    private record Wrt(String name, Tensor input, Tensor gradient) {
    }

    private final Backend backend;
    private final SeededRandom random;
    private final String op;
    private final List<Wrt> inputs = new ArrayList<>();

    private GradientCheck(Backend backend, SeededRandom random, String op) {
        this.backend = backend;
        this.random = random;
        this.op = op;
    }

    static GradientCheck of(Backend backend, SeededRandom random, String op) {
        return new GradientCheck(backend, random, op);
    }

    /** Adds an input to differentiate with respect to, and the tensor its backward accumulates into. */
    GradientCheck wrt(String name, Tensor input, Tensor gradient) {
        inputs.add(new Wrt(name, input, gradient));
        return this;
    }

    /**
     * Runs the check. {@code loss} runs the forward pass from the current input contents and
     * returns L; {@code backward} accumulates dL/d(input) into every registered gradient tensor,
     * using whatever state the last {@code loss} call left (e.g. BatchNorm's saved statistics).
     */
    void run(DoubleSupplier loss, Runnable backward) {
        List<double[]> before = new ArrayList<>();
        for (Wrt w : inputs) {
            double[] prefill = random.uniform((int) w.gradient().size());
            backend.upload(w.gradient(), prefill);
            before.add(prefill);
        }
        loss.getAsDouble();
        backward.run();
        List<double[]> analytic = new ArrayList<>();
        for (int k = 0; k < inputs.size(); k++) {
            double[] after = backend.download(inputs.get(k).gradient());
            double[] delta = new double[after.length];
            for (int i = 0; i < after.length; i++) {
                delta[i] = after[i] - before.get(k)[i];
            }
            analytic.add(delta);
        }
        for (int k = 0; k < inputs.size(); k++) {
            Wrt w = inputs.get(k);
            double[] numeric = numericalGradient(w.input(), loss);
            compare(w.name(), analytic.get(k), numeric);
        }
    }

    /** dL/d(input) by central differences, one element at a time; restores the input afterwards. */
    private double[] numericalGradient(Tensor input, DoubleSupplier loss) {
        double[] original = backend.download(input);
        double[] probe = original.clone();
        double[] gradient = new double[original.length];
        for (int i = 0; i < original.length; i++) {
            probe[i] = original[i] + STEP;
            backend.upload(input, probe);
            double plus = loss.getAsDouble();
            probe[i] = original[i] - STEP;
            backend.upload(input, probe);
            double minus = loss.getAsDouble();
            probe[i] = original[i];
            gradient[i] = (plus - minus) / (2 * STEP);
        }
        backend.upload(input, original);
        // leave forward state (saved statistics, outputs) as it was for the unperturbed input
        loss.getAsDouble();
        return gradient;
    }

    private void compare(String name, double[] analytic, double[] numeric) {
        String where = op + " d/d" + name + " (" + random + ")";
        double norm = 0;
        for (double v : numeric) {
            norm += v * v;
        }
        assertTrue(norm > 0, where + ": the numerical gradient is all zero, the check would be vacuous");
        for (int i = 0; i < analytic.length; i++) {
            double a = analytic[i];
            double n = numeric[i];
            double allowed = ABSOLUTE_TOLERANCE + RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(n));
            if (!(Math.abs(a - n) <= allowed)) {
                fail(where + ": element " + i + " analytic " + a + " vs numeric " + n + ", |diff| "
                        + Math.abs(a - n) + " > " + allowed);
            }
        }
    }
}
