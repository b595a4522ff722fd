package org.spidernet.search;

import org.spidernet.train.TrainConfig;

import java.util.List;

/**
 * Everything that shapes a search run. The user sets only {@code reductions} and {@code channels};
 * the rest has SpiderNet's defaults (see {@link #spiderNet}), scaled down for CPUs by the CLI.
 *
 * @param iterations          search iterations (train, then mutate) at most
 * @param train               training settings of each search iteration (its epochs are the
 *                            epochs per iteration)
 * @param finalEpochs         epochs of the final training of the found network
 * @param memoryBudgetBytes   a split is accepted only if the planned training peak fits
 * @param goodCandidates      a cell's candidate evaluation stops after this many good candidates
 * @param metrics             train-free metrics the candidates are scored with
 * @param inits               random initialisations each candidate's deltas are averaged over
 * @param strategy            "spidernet" or "random"
 */
public record SearchConfig(int reductions, int channels, int iterations, TrainConfig train, int finalEpochs,
                           long memoryBudgetBytes, int goodCandidates, List<String> metrics, int inits,
                           ScoringScale scoring, String strategy, long seed) {

    public SearchConfig {
        metrics = List.copyOf(metrics);
        require(reductions >= 0 && reductions <= 8, "reductions must be in 0..8, got " + reductions);
        require(channels >= 1, "channels must be >= 1, got " + channels);
        require(iterations >= 0, "iterations must be >= 0, got " + iterations);
        require(finalEpochs >= 1, "final epochs must be >= 1, got " + finalEpochs);
        require(memoryBudgetBytes > 0, "memory budget must be > 0 bytes, got " + memoryBudgetBytes);
        require(goodCandidates >= 1, "good candidates must be >= 1, got " + goodCandidates);
        require(!metrics.isEmpty(), "at least one metric is needed");
        require(inits >= 1, "inits must be >= 1, got " + inits);
        require(strategy.equals("spidernet") || strategy.equals("random"),
                "strategy must be spidernet or random, got '" + strategy + "'");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** SpiderNet's own settings: 30 iterations of 4 epochs, NTK + linear regions, 3 good candidates, 3 inits. */
    public static SearchConfig spiderNet(int reductions, int channels, long memoryBudgetBytes, long seed) {
        return new SearchConfig(reductions, channels, 30, TrainConfig.spiderNetDefaults(seed), 600, memoryBudgetBytes,
                3, List.of("ntk_centred", "lrc"), 3, ScoringScale.SPIDERNET, "spidernet", seed);
    }
}
