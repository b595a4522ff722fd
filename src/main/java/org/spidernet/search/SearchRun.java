package org.spidernet.search;

import org.spidernet.backend.Backend;
import org.spidernet.data.ImageDataset;
import org.spidernet.jobs.RunJobs;
import org.spidernet.graph.Genome;
import org.spidernet.graph.InputSpec;
import org.spidernet.train.EpochMetrics;
import org.spidernet.train.Evaluation;
import org.spidernet.train.TrainingListener;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A search run: the strategy the configuration names ({@link SearchStrategies}) searches through a
 * {@link SearchContext}, then the context trains the found network finally and tests it. A run
 * resumed from a snapshot in the final training goes straight to it. See {@link SearchContext}
 * for what the strategies share (seeds, snapshots, out-of-memory rollbacks) and the strategies'
 * packages for the searches themselves.
 */
public final class SearchRun {
    /** What a run reports while it works. Every method has a do-nothing default. */
    public interface Observer {
        default void roundFinished(int iteration, MutationRound round) {
        }

        default void iterationFinished(IterationRecord record) {
        }

        default void snapshot(SearchSnapshot snapshot) {
        }

        default TrainingListener training(SearchPhase phase, int iteration, int epochs) {
            return TrainingListener.NONE;
        }

        default void stopped(String reason) {
        }

        /**
         * A differentiable strategy's architecture weights after an iteration ({@code latest}, one
         * record per group) and all of them so far, oldest first ({@code all}, for plots).
         */
        default void architectureWeights(List<AlphaRecord> latest, List<AlphaRecord> all) {
        }

        /**
         * A strategy's own record of where it has been (FaDE: the regions visited and their ranks),
         * a JSON-serialisable value written whole to {@code fileName} in the run directory each time
         * it is reported; a resumed run reports it again whole.
         */
        default void strategyRecord(String fileName, Object value) {
        }

        /**
         * A strategy's own line plot ({@code fileName}, a PNG in the run directory, e.g. AutoSpace's
         * fitness per layer over its steps): {@code series} maps each line's name to its y values
         * over {@code x}, in the legend's order. Reported whole each time; a resumed run reports it again.
         */
        default void strategyPlot(String fileName, String title, String xLabel, String yLabel, double[] x,
                                  java.util.LinkedHashMap<String, double[]> series) {
        }

        /**
         * A strategy's own scatter plot ({@code fileName}, a PNG in the run directory, e.g. NAGO's
         * networks by accuracy and memory with their Pareto front joined): each group's points and
         * the line through some of them. Reported whole each time.
         */
        default void strategyScatter(String fileName, String title, String xLabel, String yLabel,
                                     List<org.spidernet.io.ScatterPlot.Group> groups) {
        }

        /** A grown network did not fit the device while training; its growth has been undone. */
        default void rolledBack(RoundRollback rollback) {
        }
    }

    /**
     * The outcome: the found network, its test evaluation after final training, and the history;
     * the memory budget in force at the end (below the configured one after an out-of-memory) and
     * how many grown networks were rolled back for running out of device memory; and the found
     * network's state after its final training ({@code Network.exportForInference()}: what a
     * saved model holds).
     */
    public record Result(SpaceNetwork network, Evaluation test, long params, long plannedPeakBytes, long measuredPeakBytes,
                         int iterations, List<IterationRecord> history, List<EpochMetrics> finalTraining,
                         int finalOpsDeleted, String stopReason, long memoryBudgetBytes, int outOfMemoryRollbacks,
                         Map<String, double[]> weights) {

        /** The found network, for searches over SpiderNet's genomes. */
        public Genome genome() {
            return network.genome();
        }
    }

    private final SearchConfig cfg;
    private final SearchStrategy strategy;
    private final SearchSpace space;
    private final Backend backend;
    private final ImageDataset train;
    private final ImageDataset validation;
    private final ImageDataset test;
    private final CandidateScorer scorer;
    private final RunJobs jobs;
    private final Observer observer;
    private final SearchLimits limits;
    private final MemoryBudget budget;
    private final Genome initial;
    private final SampledSpace sampledSpace;

    /** A run of the configured strategy without limits beyond memory and iterations. */
    public SearchRun(SearchConfig cfg, Backend backend, ImageDataset train, ImageDataset validation, ImageDataset test,
                     CandidateScorer scorer, Observer observer) {
        this(cfg, backend, train, validation, test, scorer, observer, null);
    }

    /**
     * {@link #SearchRun(SearchConfig, Backend, ImageDataset, ImageDataset, ImageDataset, CandidateScorer, Observer)}
     * whose strategy may hand batches of independent work to {@code jobs} (null: none, everything
     * in-process); where the jobs run changes no result.
     */
    public SearchRun(SearchConfig cfg, Backend backend, ImageDataset train, ImageDataset validation, ImageDataset test,
                     CandidateScorer scorer, Observer observer, RunJobs jobs) {
        this(cfg, SearchStrategies.byName(cfg.strategy()), backend, train, validation, test, scorer, observer,
                cfg.limits(), jobs);
    }

    /**
     * A run of {@code strategy} (which must be the one {@code cfg} names, so that its checkpoints
     * resume it) under {@code limits}; {@code scorer} may be null for a strategy that scores
     * nothing, {@code observer} for a run nobody watches.
     */
    public SearchRun(SearchConfig cfg, SearchStrategy strategy, Backend backend, ImageDataset train,
                     ImageDataset validation, ImageDataset test, CandidateScorer scorer, Observer observer,
                     SearchLimits limits) {
        this(cfg, strategy, backend, train, validation, test, scorer, observer, limits, null);
    }

    private SearchRun(SearchConfig cfg, SearchStrategy strategy, Backend backend, ImageDataset train,
                      ImageDataset validation, ImageDataset test, CandidateScorer scorer, Observer observer,
                      SearchLimits limits, RunJobs jobs) {
        if (!strategy.name().equals(cfg.strategy())) {
            throw new IllegalArgumentException("the configuration names strategy '" + cfg.strategy() + "', not '"
                    + strategy.name() + "'");
        }
        this.cfg = cfg;
        this.strategy = strategy;
        this.space = SearchSpaces.byName(SearchDefaults.SPACE);
        this.backend = backend;
        this.train = train;
        this.validation = validation;
        this.test = test;
        this.scorer = scorer;
        this.jobs = jobs;
        this.observer = observer != null ? observer : new Observer() {
        };
        this.limits = limits;
        this.budget = new MemoryBudget(cfg.memoryBudgetBytes(), cfg.train().batch(), backend.bytesPerElement());
        InputSpec input = new InputSpec(train.channels(), train.height(), train.width(), train.numClasses());
        this.initial = space.initial(input, cfg);
        this.sampledSpace = sampledSpace(cfg, strategy, input).orElse(null);
    }

    /**
     * The space {@code cfg} points {@code strategy} at ({@link SearchConfig#space()}), opened for
     * images of {@code input}; empty when it names none. An {@link IllegalArgumentException}
     * naming the space and the fault when the strategy searches its own space only, no plug-in
     * opens it, or the strategy cannot search it: what the command line checks before it writes.
     */
    public static Optional<SampledSpace> sampledSpace(SearchConfig cfg, SearchStrategy strategy, InputSpec input) {
        if (cfg.space() == null) {
            return Optional.empty();
        }
        SearchStrategies.checkSpace(strategy, cfg.space());
        SampledSpace opened = SampledSpaces.open(cfg.space(), input, cfg);
        strategy.validateSpace(opened, cfg);
        return Optional.of(opened);
    }

    public Genome initialGenome() {
        return initial;
    }

    /** The space the strategy searches instead of its own ({@link SearchConfig#space()}); empty when none. */
    public Optional<SampledSpace> sampledSpace() {
        return Optional.ofNullable(sampledSpace);
    }

    /**
     * Whether the search starts from the space's initial network, which must then fit the budget:
     * the strategy's say ({@link SearchStrategy#startsFromInitial()}), unless it searches another space.
     */
    public boolean startsFromInitial() {
        return strategy.startsFromInitial() && sampledSpace == null;
    }

    /** The configured memory budget (an out-of-memory lowers the one in force, see {@link SearchSnapshot}). */
    public MemoryBudget budget() {
        return budget;
    }

    /** Runs from the start ({@code resume == null}) or from a snapshot. */
    public Result run(SearchSnapshot resume) {
        return run(resume, 0);
    }

    /**
     * Runs from a snapshot of a run that had spent {@code secondsBefore} wall-clock seconds when it
     * was taken (they count against the wall-time limit).
     */
    public Result run(SearchSnapshot resume, double secondsBefore) {
        if (resume != null && resume.phase() == SearchPhase.DONE) {
            throw new IllegalStateException("this search has already finished");
        }
        if (resume == null && startsFromInitial() && !budget.fits(initial)) {
            throw new IllegalArgumentException("the initial network alone needs " + budget.plannedPeak(initial)
                    + " bytes at batch " + cfg.train().batch() + ", over the memory budget of " + budget.bytes() + " bytes");
        }
        SearchContext ctx = new SearchContext(cfg, strategy, space, backend, train, validation, test, scorer, jobs, observer,
                limits, budget, initial, sampledSpace, resume, secondsBefore);
        SearchSnapshot s = resume;
        if (s == null || s.phase() == SearchPhase.SEARCH_TRAINING) {
            s = strategy.search(ctx);
            if (s.phase() != SearchPhase.FINAL_TRAINING) {
                throw new IllegalStateException("strategy " + strategy.name() + " ended its search in phase " + s.phase()
                        + ", not " + SearchPhase.FINAL_TRAINING);
            }
        }
        return ctx.finalTraining(s);
    }
}
