package org.spidernet.search.darts;

import org.spidernet.graph.ir.AlphaGroup;
import org.spidernet.search.SearchConfig;
import org.spidernet.search.StrategyOption;
import org.spidernet.train.ArchitectureAdam;

import java.util.List;
import java.util.Locale;

/**
 * DARTS's own settings, read from a search configuration's options (names as {@link #OPTIONS}
 * lists them) and checked once here: cells, mixing, the Gumbel temperature's annealing and the
 * architecture optimiser.
 *
 * @param layers    cells in the supernet and the derived network (reductions at L/3 and 2L/3)
 * @param mixing    softmax (DARTS) or a Gumbel single path (GDAS)
 * @param tauMax    Gumbel temperature in the first search epoch, annealed linearly ...
 * @param tauMin    ... to this in the last (GDAS: 10 to 0.1)
 * @param archLr    Adam learning rate of the alphas
 * @param archDecay Adam (L2) weight decay of the alphas
 * @param order     1: the alphas' gradient at the current weights (DARTS's first order); 2: at the
 *                  weights one SGD step ahead (DARTS's unrolled second order)
 */
public record DartsSettings(int layers, AlphaGroup.Mixing mixing, double tauMax, double tauMin, double archLr,
                            double archDecay, int order) {

    public static final List<StrategyOption> OPTIONS = List.of(
            new StrategyOption("layers", "cells of the supernet and the derived network (reductions at L/3 and 2L/3)", "5", "8"),
            new StrategyOption("mixing", "how an edge mixes its ops: softmax (DARTS) or gumbel (one sampled op, GDAS)",
                    "softmax", "softmax"),
            new StrategyOption("order", "1: first-order bilevel steps; 2: DARTS's unrolled second order (4 passes per step)",
                    "1", "1"),
            new StrategyOption("tau-max", "Gumbel temperature of the first search epoch (gumbel mixing)", "10", "10"),
            new StrategyOption("tau-min", "Gumbel temperature of the last search epoch", "0.1", "0.1"),
            new StrategyOption("arch-lr", "Adam learning rate of the architecture weights",
                    String.valueOf(ArchitectureAdam.DEFAULT_LR), String.valueOf(ArchitectureAdam.DEFAULT_LR)),
            new StrategyOption("arch-weight-decay", "Adam weight decay of the architecture weights",
                    String.valueOf(ArchitectureAdam.DEFAULT_WEIGHT_DECAY), String.valueOf(ArchitectureAdam.DEFAULT_WEIGHT_DECAY)));

    public DartsSettings {
        DartsSkeleton.checkLayers(layers);
        require(tauMax > 0 && tauMin > 0 && tauMin <= tauMax && Double.isFinite(tauMax),
                "tau-max and tau-min must be > 0 with tau-min <= tau-max, got " + tauMax + " and " + tauMin);
        require(archLr > 0 && Double.isFinite(archLr), "arch-lr must be > 0, got " + archLr);
        require(archDecay >= 0 && Double.isFinite(archDecay), "arch-weight-decay must be >= 0, got " + archDecay);
        require(order == 1 || order == 2, "order must be 1 or 2, got " + order);
    }

    /** The settings a configuration's options give; a one-line error naming the option otherwise. */
    public static DartsSettings of(SearchConfig cfg) {
        String mixing = cfg.option("mixing").toLowerCase(Locale.ROOT);
        AlphaGroup.Mixing m = switch (mixing) {
            case "softmax" -> AlphaGroup.Mixing.SOFTMAX;
            case "gumbel" -> AlphaGroup.Mixing.GUMBEL;
            default -> throw new IllegalArgumentException("darts option mixing must be softmax or gumbel, got '" + mixing + "'");
        };
        return new DartsSettings(integer(cfg, "layers"), m, number(cfg, "tau-max"), number(cfg, "tau-min"),
                number(cfg, "arch-lr"), number(cfg, "arch-weight-decay"), integer(cfg, "order"));
    }

    public boolean secondOrder() {
        return order == 2;
    }

    /** The Gumbel temperature of search epoch {@code epoch} of {@code epochs}. */
    public double tau(int epoch, int epochs) {
        return epochs <= 1 ? tauMax : tauMax - (tauMax - tauMin) * epoch / (epochs - 1);
    }

    private static int integer(SearchConfig cfg, String name) {
        try {
            return Integer.parseInt(cfg.option(name).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("darts option " + name + " must be an integer, got '" + cfg.option(name) + "'");
        }
    }

    private static double number(SearchConfig cfg, String name) {
        try {
            return Double.parseDouble(cfg.option(name).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("darts option " + name + " must be a number, got '" + cfg.option(name) + "'");
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("darts option " + message);
        }
    }
}
