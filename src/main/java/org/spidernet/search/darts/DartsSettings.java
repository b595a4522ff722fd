package org.spidernet.search.darts;

import org.spidernet.graph.ir.AlphaGroup;
import org.spidernet.search.BilevelSettings;
import org.spidernet.search.OptionValues;
import org.spidernet.search.SearchConfig;
import org.spidernet.search.StrategyOption;

import java.util.List;
import java.util.stream.Stream;

/**
 * DARTS's own settings, read from a search configuration's options (names as {@link #OPTIONS}
 * lists them) and checked once here: the cells, and how the architecture weights train
 * ({@link BilevelSettings}, shared with FaDE).
 *
 * @param layers  cells in the supernet and the derived network (reductions at L/3 and 2L/3)
 * @param bilevel mixing, Gumbel temperatures, the architecture optimiser and the order
 */
public record DartsSettings(int layers, BilevelSettings bilevel) {
    public static final String STRATEGY = "darts";

    public static final List<StrategyOption> OPTIONS = Stream.concat(Stream.of(
            new StrategyOption("layers", "cells of the supernet and the derived network (reductions at L/3 and 2L/3)", "5", "8")),
            BilevelSettings.OPTIONS.stream()).toList();

    public DartsSettings {
        DartsSkeleton.checkLayers(layers);
    }

    /** The settings a configuration's options give; a one-line error naming the option otherwise. */
    public static DartsSettings of(SearchConfig cfg) {
        BilevelSettings bilevel = BilevelSettings.of(cfg, STRATEGY);
        return new DartsSettings(OptionValues.integer(cfg, STRATEGY, "layers"), bilevel);
    }

    public AlphaGroup.Mixing mixing() {
        return bilevel.mixing();
    }

    public double archLr() {
        return bilevel.archLr();
    }

    public double archDecay() {
        return bilevel.archDecay();
    }

    public boolean secondOrder() {
        return bilevel.secondOrder();
    }

    /** The Gumbel temperature of search epoch {@code epoch} of {@code epochs}. */
    public double tau(int epoch, int epochs) {
        return bilevel.tau(epoch, epochs);
    }
}
