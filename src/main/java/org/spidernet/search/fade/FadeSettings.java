package org.spidernet.search.fade;

import org.spidernet.graph.dag.DagLibrary;
import org.spidernet.search.BilevelSettings;
import org.spidernet.search.OptionValues;
import org.spidernet.search.SearchConfig;
import org.spidernet.search.StrategyOption;

import java.util.List;
import java.util.stream.Stream;

/**
 * FaDE's own settings, read from a search configuration's options (names as {@link #OPTIONS} lists
 * them) and checked once here. The paper leaves the outer search's step and aggregation open;
 * the engine's choices are options (see {@link PseudoGradientStep}).
 *
 * @param stages      stages of the chain (S)
 * @param candidates  candidate cells per stage in a region (N, option {@code cells}): a region covers N^S architectures
 * @param regions     regions trained per generation (the batch)
 * @param radius      library edits from a parent to a new candidate
 * @param parents     best-ranked cells per stage that the next generation's candidates are drawn near
 * @param aggregation how a candidate's advantages over the centre in the batch's regions combine
 * @param margin      advantage (in log architecture weight) a challenger needs to become the centre
 * @param minVertices smallest cell of the library
 * @param maxVertices largest cell of the library
 * @param bilevel     how each region's architecture weights train
 */
public record FadeSettings(int stages, int candidates, int regions, int radius, int parents,
                           PseudoGradientStep.Aggregation aggregation, double margin, int minVertices, int maxVertices,
                           BilevelSettings bilevel) {
    public static final String STRATEGY = "fade";
    /**
     * Adam learning rates of a region's alphas: a CPU region trains for about 90 steps, a device
     * one for about 2,000 (DARTS's 3e-4 suits 20,000), and a rank needs the rows to separate.
     */
    public static final double CPU_ARCH_LR = 0.01;
    public static final double GPU_ARCH_LR = 0.001;

    public static final List<StrategyOption> OPTIONS = Stream.concat(Stream.of(
            new StrategyOption("stages", "stages of the chain, one cell each (the last --reductions of them reduce)", "3", "5"),
            new StrategyOption("cells", "candidate cells per stage in a region (a region covers cells^stages networks)",
                    "4", "4"),
            new StrategyOption("regions", "regions trained per generation (the batch); --iterations counts generations", "3", "4"),
            new StrategyOption("radius", "library edits (add or remove an edge or a vertex) from a parent to a new candidate",
                    "1", "1"),
            new StrategyOption("parents", "best-ranked cells per stage the next generation's candidates are drawn near", "2", "2"),
            new StrategyOption("aggregation", "how a cell's advantage over the centre combines over the batch's regions: "
                    + "mean or min", "mean", "mean"),
            new StrategyOption("margin", "log-weight advantage a challenger needs to replace the centre's cell", "0", "0"),
            new StrategyOption("min-vertices", "smallest cell of the DAG library", String.valueOf(DagLibrary.FADE_MIN),
                    String.valueOf(DagLibrary.FADE_MIN)),
            new StrategyOption("max-vertices", "largest cell of the DAG library", String.valueOf(DagLibrary.FADE_MAX),
                    String.valueOf(DagLibrary.FADE_MAX))),
            BilevelSettings.options(CPU_ARCH_LR, GPU_ARCH_LR).stream()).toList();

    public FadeSettings {
        FadeRegion.checkWidth(candidates, STRATEGY + " option cells");
        FadeSkeleton.checkStages(stages, STRATEGY + " option stages");
        OptionValues.require(regions >= 1, STRATEGY, "regions must be >= 1, got " + regions);
        OptionValues.require(radius >= 1, STRATEGY, "radius must be >= 1, got " + radius);
        OptionValues.require(parents >= 1, STRATEGY, "parents must be >= 1, got " + parents);
        OptionValues.require(margin >= 0, STRATEGY, "margin must be >= 0, got " + margin);
        OptionValues.require(minVertices >= 1 && minVertices <= maxVertices && maxVertices <= 6, STRATEGY,
                "min-vertices and max-vertices must satisfy 1 <= min <= max <= 6, got " + minVertices + " and " + maxVertices);
    }

    public static FadeSettings of(SearchConfig cfg) {
        BilevelSettings bilevel = BilevelSettings.of(cfg, STRATEGY);
        PseudoGradientStep.Aggregation aggregation = PseudoGradientStep.Aggregation.valueOf(
                OptionValues.choice(cfg, STRATEGY, "aggregation", List.of("mean", "min")).toUpperCase(java.util.Locale.ROOT));
        return new FadeSettings(OptionValues.integer(cfg, STRATEGY, "stages"), OptionValues.integer(cfg, STRATEGY, "cells"),
                OptionValues.integer(cfg, STRATEGY, "regions"), OptionValues.integer(cfg, STRATEGY, "radius"),
                OptionValues.integer(cfg, STRATEGY, "parents"), aggregation, OptionValues.number(cfg, STRATEGY, "margin"),
                OptionValues.integer(cfg, STRATEGY, "min-vertices"), OptionValues.integer(cfg, STRATEGY, "max-vertices"), bilevel);
    }

    /** The library cells are drawn from. */
    public DagLibrary library() {
        return minVertices == DagLibrary.FADE_MIN && maxVertices == DagLibrary.FADE_MAX ? DagLibrary.fade()
                : DagLibrary.of(minVertices, maxVertices);
    }
}
