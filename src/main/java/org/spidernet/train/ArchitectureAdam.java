package org.spidernet.train;

/**
 * Adam over the architecture weights, on the host where they live: {@code g += wd * a} (L2, as
 * PyTorch's Adam applies weight decay), then the bias-corrected first and second moments. DARTS's
 * settings are the defaults: lr 3e-4, betas (0.5, 0.999), weight decay 1e-3, eps 1e-8.
 */
public final class ArchitectureAdam {
    public static final double DEFAULT_LR = 3e-4;
    public static final double DEFAULT_BETA1 = 0.5;
    public static final double DEFAULT_BETA2 = 0.999;
    public static final double DEFAULT_WEIGHT_DECAY = 1e-3;
    private static final double EPS = 1e-8;

    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double weightDecay;
    private final double[] m;
    private final double[] v;
    private long steps;

    public ArchitectureAdam(int size, double lr, double beta1, double beta2, double weightDecay) {
        if (!(lr > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("architecture Adam: needs lr > 0, betas in [0, 1) and weight decay >= 0, got lr "
                    + lr + ", betas (" + beta1 + ", " + beta2 + "), weight decay " + weightDecay);
        }
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.weightDecay = weightDecay;
        this.m = new double[size];
        this.v = new double[size];
    }

    /** DARTS's settings for {@code size} weights. */
    public static ArchitectureAdam darts(int size) {
        return new ArchitectureAdam(size, DEFAULT_LR, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_WEIGHT_DECAY);
    }

    /** One update of {@code a} in place from its gradient {@code g}. */
    public void step(double[] a, double[] g) {
        if (a.length != m.length || g.length != m.length) {
            throw new IllegalArgumentException("architecture Adam over " + m.length + " weights got " + a.length
                    + " weights and " + g.length + " gradients");
        }
        steps++;
        double c1 = 1 - Math.pow(beta1, steps);
        double c2 = 1 - Math.pow(beta2, steps);
        for (int i = 0; i < a.length; i++) {
            double d = g[i] + weightDecay * a[i];
            m[i] = beta1 * m[i] + (1 - beta1) * d;
            v[i] = beta2 * v[i] + (1 - beta2) * d * d;
            a[i] -= lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + EPS);
        }
    }

    /** Moments and step count, for a checkpoint. */
    public State state() {
        return new State(m.clone(), v.clone(), steps);
    }

    public void restore(State s) {
        if (s.m().length != m.length || s.v().length != v.length || s.steps() < 0) {
            throw new IllegalArgumentException("architecture Adam state is for " + s.m().length + " weights, not " + m.length);
        }
        System.arraycopy(s.m(), 0, m, 0, m.length);
        System.arraycopy(s.v(), 0, v, 0, v.length);
        steps = s.steps();
    }

    /** What {@link #state()} returns. */
    public record State(double[] m, double[] v, long steps) {
    }
}
