package org.spidernet.search.autospace;

import org.spidernet.graph.InputSpec;
import org.spidernet.search.BilevelSettings;
import org.spidernet.search.OptionValues;
import org.spidernet.search.SearchConfig;
import org.spidernet.search.StrategyOption;

import java.util.List;
import java.util.stream.Stream;

/**
 * AutoSpace's own settings, read from a search configuration's options (names as {@link #OPTIONS}
 * lists them) and checked once here. The paper leaves population sizes, tournament size, mutation
 * rates and the fitness update open; these are the engine's choices, documented in docs/autospace.md.
 *
 * @param target         the target network's preset ({@link TargetNetwork#PRESETS})
 * @param layersPerStage layers per stage of the small preset
 * @param population     cells each layer's population keeps (P)
 * @param cells          cells a step mixes per layer (K): the reference and K-1 mutated tournament winners
 * @param tournament     members a tournament draws
 * @param opRate         share of mutations that change an op (the rest rewire an edge)
 * @param momentum       weight of a step's value in a cell's running-average fitness
 * @param spaceCells     cells per layer of the learned space (the top of each population)
 * @param maxMacs        multiply-adds per image a network may take, 0 for no limit
 * @param maxParams      parameters a network may have, 0 for no limit
 * @param bilevel        how each step's mixing weights train
 */
public record AutoSpaceSettings(String target, int layersPerStage, int population, int cells, int tournament, double opRate,
                                double momentum, int spaceCells, long maxMacs, long maxParams, BilevelSettings bilevel) {
    public static final String STRATEGY = "autospace";
    /** Adam learning rates of a step's mixing weights: a CPU step trains for about 90 steps, a device one for about 1,000. */
    public static final double CPU_ARCH_LR = 0.01;
    public static final double GPU_ARCH_LR = 0.003;
    /** Layers per stage of the small target on a CPU (and of the original space {@code --space autospace} opens). */
    public static final int CPU_LAYERS_PER_STAGE = 1;

    public static final List<StrategyOption> OPTIONS = Stream.concat(Stream.of(
            new StrategyOption("target", "the target network: small (stages of layers for 28x28 and 32x32 images), mobile "
                    + "(MobileNetV2's widths and strides) or auto (small up to 32x32 inputs)", "auto", "auto"),
            new StrategyOption("layers-per-stage", "layers per stage of the small target (--reductions + 1 stages)",
                    String.valueOf(CPU_LAYERS_PER_STAGE), "2"),
            new StrategyOption("population", "cells each layer's population keeps", "8", "16"),
            new StrategyOption("cells", "cells a step mixes per layer: the layer's best and cells-1 mutated tournament winners",
                    "3", "4"),
            new StrategyOption("tournament", "members a tournament draws", "3", "4"),
            new StrategyOption("op-rate", "share of mutations that change an edge's op (the rest rewire an edge)", "0.7", "0.7"),
            new StrategyOption("momentum", "weight of a step's mixing weight in a cell's running-average fitness", "0.5", "0.5"),
            new StrategyOption("space-cells", "cells per layer of the learned space (each population's best)", "4", "4"),
            new StrategyOption("max-macs", "multiply-adds per image a network may take (0: no limit)", "0", "0"),
            new StrategyOption("max-params", "parameters a network may have (0: no limit)", "0", "0")),
            BilevelSettings.options(CPU_ARCH_LR, GPU_ARCH_LR).stream()).toList();

    public AutoSpaceSettings {
        CellChoices.checkWidth(cells, STRATEGY + " option cells");
        CellChoices.checkWidth(spaceCells, STRATEGY + " option space-cells");
        OptionValues.require(population >= Math.max(cells, spaceCells), STRATEGY,
                "population must be >= cells and >= space-cells, got " + population);
        OptionValues.require(tournament >= 1 && tournament <= population, STRATEGY,
                "tournament must be in 1..population (" + population + "), got " + tournament);
        OptionValues.require(opRate >= 0 && opRate <= 1, STRATEGY, "op-rate must be in 0..1, got " + opRate);
        OptionValues.require(momentum > 0 && momentum <= 1, STRATEGY, "momentum must be in (0, 1], got " + momentum);
        OptionValues.require(maxMacs >= 0, STRATEGY, "max-macs must be >= 0, got " + maxMacs);
        OptionValues.require(maxParams >= 0, STRATEGY, "max-params must be >= 0, got " + maxParams);
    }

    public static AutoSpaceSettings of(SearchConfig cfg) {
        BilevelSettings bilevel = BilevelSettings.of(cfg, STRATEGY);
        String target = OptionValues.choice(cfg, STRATEGY, "target", TargetNetwork.PRESETS);
        return new AutoSpaceSettings(target, OptionValues.integer(cfg, STRATEGY, "layers-per-stage"),
                OptionValues.integer(cfg, STRATEGY, "population"), OptionValues.integer(cfg, STRATEGY, "cells"),
                OptionValues.integer(cfg, STRATEGY, "tournament"), OptionValues.number(cfg, STRATEGY, "op-rate"),
                OptionValues.number(cfg, STRATEGY, "momentum"), OptionValues.integer(cfg, STRATEGY, "space-cells"),
                (long) OptionValues.number(cfg, STRATEGY, "max-macs"), (long) OptionValues.number(cfg, STRATEGY, "max-params"),
                bilevel);
    }

    /** The target network for images of {@code input} at the configuration's channels and reductions. */
    public TargetNetwork target(InputSpec input, SearchConfig cfg) {
        return TargetNetwork.of(target, input, cfg.channels(), cfg.reductions(), layersPerStage);
    }
}
