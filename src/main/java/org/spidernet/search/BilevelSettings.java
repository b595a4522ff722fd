package org.spidernet.search;

import org.spidernet.graph.ir.AlphaGroup;
import org.spidernet.train.ArchitectureAdam;

import java.util.List;
import java.util.Locale;

/**
 * How a differentiable strategy (DARTS, FaDE) trains its architecture weights, read from a
 * configuration's options (names as {@link #OPTIONS} lists them) and checked once here.
 *
 * @param mixing    softmax (DARTS) or a Gumbel single path (GDAS)
 * @param tauMax    Gumbel temperature in the first epoch of a supernet, annealed linearly ...
 * @param tauMin    ... to this in its last (GDAS: 10 to 0.1)
 * @param archLr    Adam learning rate of the alphas
 * @param archDecay Adam (L2) weight decay of the alphas
 * @param order     1: the alphas' gradient at the current weights (DARTS's first order); 2: at the
 *                  weights one SGD step ahead (DARTS's unrolled second order)
 */
public record BilevelSettings(AlphaGroup.Mixing mixing, double tauMax, double tauMin, double archLr, double archDecay,
                              int order) {

    /** GDAS's annealing of the Gumbel temperature, from the first epoch of a supernet to its last. */
    public static final double DEFAULT_TAU_MAX = 10;
    public static final double DEFAULT_TAU_MIN = 0.1;

    /** The options with DARTS's architecture learning rate (Adam 3e-4) on every machine. */
    public static final List<StrategyOption> OPTIONS = options(ArchitectureAdam.DEFAULT_LR, ArchitectureAdam.DEFAULT_LR);

    /**
     * The options, with a strategy's own default architecture learning rate per machine class (a
     * strategy that trains each supernet for far fewer steps than DARTS's 50 epochs needs a larger one).
     */
    public static List<StrategyOption> options(double cpuArchLr, double gpuArchLr) {
        return List.of(
                new StrategyOption("mixing", "how a row of architecture weights mixes its choices: softmax (DARTS) or gumbel "
                        + "(one sampled choice, GDAS)", "softmax", "softmax"),
                new StrategyOption("order", "1: first-order bilevel steps; 2: DARTS's unrolled second order (4 passes per step)",
                        "1", "1"),
                new StrategyOption("tau-max", "Gumbel temperature of a supernet's first epoch (gumbel mixing)",
                        String.valueOf(DEFAULT_TAU_MAX), String.valueOf(DEFAULT_TAU_MAX)),
                new StrategyOption("tau-min", "Gumbel temperature of a supernet's last epoch", String.valueOf(DEFAULT_TAU_MIN),
                        String.valueOf(DEFAULT_TAU_MIN)),
                new StrategyOption("arch-lr", "Adam learning rate of the architecture weights", String.valueOf(cpuArchLr),
                        String.valueOf(gpuArchLr)),
                new StrategyOption("arch-weight-decay", "Adam weight decay of the architecture weights",
                        String.valueOf(ArchitectureAdam.DEFAULT_WEIGHT_DECAY), String.valueOf(ArchitectureAdam.DEFAULT_WEIGHT_DECAY)));
    }

    /** Checks the ranges; each message starts "option NAME", which {@link #of} prefixes with the strategy. */
    public BilevelSettings {
        if (mixing == null) {
            throw new IllegalArgumentException("mixing missing");
        }
        if (!(tauMax > 0 && tauMin > 0 && tauMin <= tauMax && Double.isFinite(tauMax))) {
            throw new IllegalArgumentException("option tau-max and tau-min must be > 0 with tau-min <= tau-max, got " + tauMax
                    + " and " + tauMin);
        }
        if (!(archLr > 0 && Double.isFinite(archLr))) {
            throw new IllegalArgumentException("option arch-lr must be > 0, got " + archLr);
        }
        if (!(archDecay >= 0 && Double.isFinite(archDecay))) {
            throw new IllegalArgumentException("option arch-weight-decay must be >= 0, got " + archDecay);
        }
        if (order != 1 && order != 2) {
            throw new IllegalArgumentException("option order must be 1 or 2, got " + order);
        }
    }

    /** The settings a configuration's options give; a one-line error naming {@code strategy} and the option otherwise. */
    public static BilevelSettings of(SearchConfig cfg, String strategy) {
        AlphaGroup.Mixing m = AlphaGroup.Mixing.valueOf(
                OptionValues.choice(cfg, strategy, "mixing", List.of("softmax", "gumbel")).toUpperCase(Locale.ROOT));
        double tauMax = OptionValues.number(cfg, strategy, "tau-max");
        double tauMin = OptionValues.number(cfg, strategy, "tau-min");
        double archLr = OptionValues.number(cfg, strategy, "arch-lr");
        double archDecay = OptionValues.number(cfg, strategy, "arch-weight-decay");
        int order = OptionValues.integer(cfg, strategy, "order");
        try {
            return new BilevelSettings(m, tauMax, tauMin, archLr, archDecay, order);
        } catch (IllegalArgumentException e) {
            // the range checks say "option NAME ...": the strategy's name completes them
            throw new IllegalArgumentException(strategy + " " + e.getMessage(), e);
        }
    }

    /** Softmax mixing, first order, DARTS's weight decay and the default temperatures, at the given learning rate. */
    public static BilevelSettings softmax(double archLr) {
        return new BilevelSettings(AlphaGroup.Mixing.SOFTMAX, DEFAULT_TAU_MAX, DEFAULT_TAU_MIN, archLr,
                ArchitectureAdam.DEFAULT_WEIGHT_DECAY, 1);
    }

    public boolean secondOrder() {
        return order == 2;
    }

    /** The Gumbel temperature of supernet epoch {@code epoch} of {@code epochs}. */
    public double tau(int epoch, int epochs) {
        return epochs <= 1 ? tauMax : tauMax - (tauMax - tauMin) * epoch / (epochs - 1);
    }
}
