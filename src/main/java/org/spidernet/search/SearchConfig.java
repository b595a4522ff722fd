package org.spidernet.search;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.spidernet.graph.GenomeRanges;
import org.spidernet.train.TrainConfig;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything that shapes a search run, and all that {@code --resume} needs to repeat it: it is
 * saved with Jackson in every checkpoint and read back as it was. The defaults live in
 * {@link SearchDefaults} (SpiderNet's on a device, scaled down on CPUs); the command line only
 * overrides the ones it is given.
 *
 * @param iterations          search iterations (train, then mutate) at most
 * @param train               training settings of each search iteration (its epochs are the
 *                            epochs per iteration)
 * @param finalEpochs         epochs of the final training of the found network
 * @param memoryBudgetBytes   a split is accepted only if the planned training peak fits
 * @param goodCandidates      a cell's candidate evaluation stops after this many good candidates
 * @param metrics             train-free metrics the candidates are scored with
 * @param inits               random initialisations each candidate's deltas are averaged over
 * @param strategy            the {@link SearchStrategy}'s name ("spidernet", "random", ...); the
 *                            field keeps this name so that older checkpoints resume
 * @param source              where the data and the backend come from
 * @param options             the strategy's own settings by option name ({@link SearchStrategy#options()}),
 *                            every one filled in (the machine's default where no flag gave it), so
 *                            a run and its resume read the same values
 * @param limits              training images seen and wall-clock seconds the search may spend
 *                            ({@link SearchLimits#NONE} by default)
 * @param space               the space {@code search --space} names or the file that holds it (a file's
 *                            path absolute), which the strategy searches instead of its own
 *                            ({@link SampledSpaces}); null for the strategy's own space. Left out of
 *                            the JSON when null, so runs without it save what they saved before
 */
public record SearchConfig(int reductions, int channels, int iterations, TrainConfig train, int finalEpochs,
                           long memoryBudgetBytes, int goodCandidates, List<String> metrics, int inits,
                           ScoringScale scoring, String strategy, long seed, Source source,
                           Map<String, String> options, SearchLimits limits,
                           @JsonInclude(JsonInclude.Include.NON_NULL) String space) {

    /**
     * The run's inputs beyond the engine's settings: the dataset, its directory (absolute, or null
     * for the dataset's default place), the first N training images used (null: all), the backend
     * as named on the command line ({@code auto} is resolved again on resume) and the emulated
     * device capacity (null: the backend's own memory), which is part of the experiment.
     */
    public record Source(String dataset, String data, Integer limitTrain, String backend, Long deviceMemoryBytes) {
        /** For runs started in-process that hand the search its data and backend directly. */
        public static final Source IN_PROCESS = new Source("in-process", null, null, "in-process", null);

        public Source {
            require(limitTrain == null || limitTrain >= 1, "limit-train must be >= 1, got " + limitTrain);
            require(deviceMemoryBytes == null || deviceMemoryBytes > 0,
                    "device memory must be > 0 bytes, got " + deviceMemoryBytes);
        }
    }

    public SearchConfig {
        metrics = List.copyOf(metrics);
        // absent from configurations saved before strategies had options of their own
        options = options == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(options));
        // absent from configurations saved before the limits were settings
        limits = limits == null ? SearchLimits.NONE : limits;
        GenomeRanges.checkReductions(reductions);
        GenomeRanges.checkChannels(channels);
        require(iterations >= 0, "iterations must be >= 0, got " + iterations);
        require(finalEpochs >= 1, "final epochs must be >= 1, got " + finalEpochs);
        require(memoryBudgetBytes > 0, "memory budget must be > 0 bytes, got " + memoryBudgetBytes);
        require(goodCandidates >= 1, "good candidates must be >= 1, got " + goodCandidates);
        require(!metrics.isEmpty(), "at least one metric is needed");
        require(inits >= 1, "inits must be >= 1, got " + inits);
        // which names exist is the plug-ins' business (SearchStrategies); a run refuses an unknown one
        require(strategy != null && !strategy.isBlank(), "strategy missing");
        require(source != null, "source missing");
        require(space == null || !space.isBlank(), "--space: the space's name or file is blank");
    }

    /** A search run in-process, its data and backend handed over directly. */
    public SearchConfig(int reductions, int channels, int iterations, TrainConfig train, int finalEpochs,
                        long memoryBudgetBytes, int goodCandidates, List<String> metrics, int inits,
                        ScoringScale scoring, String strategy, long seed) {
        this(reductions, channels, iterations, train, finalEpochs, memoryBudgetBytes, goodCandidates, metrics, inits,
                scoring, strategy, seed, Source.IN_PROCESS, Map.of(), SearchLimits.NONE, null);
    }

    /** This configuration with the strategy's settings replaced. */
    public SearchConfig withOptions(Map<String, String> newOptions) {
        return new SearchConfig(reductions, channels, iterations, train, finalEpochs, memoryBudgetBytes, goodCandidates,
                metrics, inits, scoring, strategy, seed, source, newOptions, limits, space);
    }

    /** This configuration with other image and wall-time limits. */
    public SearchConfig withLimits(SearchLimits newLimits) {
        return new SearchConfig(reductions, channels, iterations, train, finalEpochs, memoryBudgetBytes, goodCandidates,
                metrics, inits, scoring, strategy, seed, source, options, newLimits, space);
    }

    /** This configuration searching {@code newSpace} ({@link #space()}; null: the strategy's own). */
    public SearchConfig withSpace(String newSpace) {
        return new SearchConfig(reductions, channels, iterations, train, finalEpochs, memoryBudgetBytes, goodCandidates,
                metrics, inits, scoring, strategy, seed, source, options, limits, newSpace);
    }

    /** The strategy setting {@code name}; an {@link IllegalArgumentException} when the configuration lacks it. */
    public String option(String name) {
        String v = options.get(name);
        if (v == null) {
            throw new IllegalArgumentException("strategy '" + strategy + "': option '" + name + "' is not set");
        }
        return v;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
