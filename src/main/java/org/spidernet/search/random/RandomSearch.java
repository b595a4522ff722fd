package org.spidernet.search.random;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spidernet.graph.Genome;
import org.spidernet.jobs.Job;
import org.spidernet.jobs.JobOutcome;
import org.spidernet.jobs.RunJobs;
import org.spidernet.search.IterationRecord;
import org.spidernet.search.MemoryBudget;
import org.spidernet.search.NetworkOutOfMemory;
import org.spidernet.search.SampledSpace;
import org.spidernet.search.SearchContext;
import org.spidernet.search.SearchPhase;
import org.spidernet.search.SearchSnapshot;
import org.spidernet.search.SearchStrategy;
import org.spidernet.search.SpaceNetwork;
import org.spidernet.search.StrategyOption;
import org.spidernet.search.TrainedNetwork;
import org.spidernet.search.TrainNetworkJob;
import org.spidernet.search.TrainedSpaceNetwork;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The random-search baseline: each iteration trains a random sample of the search space (as far
 * from the initial net as SpiderNet could grow in the run's iterations) under the same budget for
 * the same epochs; the best by validation accuracy, pruned, is trained finally. A sample that runs
 * out of device memory in training is drawn again under the lowered budget with the same seed.
 *
 * <p>Pointed at another space ({@code search --space}), iteration i trains that space's sample of
 * seed path (3, i) as it is (no pruning, no memory budget: the space draws its networks itself),
 * and the found network is the sample with the highest validation accuracy, the earliest on ties.
 * It is drawn again from its seed when the search ends, so the snapshots need nothing beyond the
 * history, and a sample the device cannot hold ends the search with the error.
 *
 * <p>Given a service that runs jobs side by side ({@link SearchContext#parallelJobs()}), the
 * samples of consecutive iterations are trained at once as {@link TrainNetworkJob}s and recorded in
 * order as if trained one by one: the same samples, accuracies, best network and snapshots (a
 * snapshot after each iteration, none within one).
 */
public final class RandomSearch implements SearchStrategy {
    /** Seed path of a sample (the context's own paths are 1 and 4). */
    private static final int SAMPLE = 3;
    private static final Logger LOG = LoggerFactory.getLogger(RandomSearch.class);

    @Override
    public String name() {
        return "random";
    }

    @Override
    public String description() {
        return "Random search: train a random sample of the space per iteration, keep the best by validation accuracy";
    }

    /** The shared settings say it all: --iterations is the number of samples trained. */
    @Override
    public List<StrategyOption> options() {
        return List.of();
    }

    @Override
    public boolean searchesOtherSpaces() {
        return true;
    }

    @Override
    public SearchSnapshot search(SearchContext ctx) {
        if (ctx.sampledSpace().isPresent()) {
            return search(ctx, ctx.sampledSpace().get());
        }
        SearchSnapshot s = ctx.resumed().orElseGet(() -> start(ctx));
        while (s.phase() == SearchPhase.SEARCH_TRAINING) {
            Optional<RunJobs> jobs = ctx.parallelJobs();
            s = jobs.isPresent() && s.epochsCompleted() == 0 ? batch(ctx, s, jobs.get()) : iteration(ctx, s);
        }
        return s;
    }

    // ---- another space (search --space)

    private static SearchSnapshot search(SearchContext ctx, SampledSpace space) {
        SearchSnapshot s = ctx.resumed().orElse(null);
        if (s == null) {
            long budget = ctx.memoryBudget().bytes();
            String stop = ctx.stopAfter(0).orElse(null);
            s = stop != null ? ctx.finish(0, sample(ctx, space, 0), List.of(), null, Double.NaN, stop, budget, 0)
                    : ctx.next(0, sample(ctx, space, 0), List.of(), budget);
        }
        while (s.phase() == SearchPhase.SEARCH_TRAINING) {
            Optional<RunJobs> jobs = ctx.parallelJobs();
            if (jobs.isPresent() && s.epochsCompleted() == 0) {
                s = batch(ctx, space, s, jobs.get());
            } else {
                s = trained(ctx, space, s, ctx.trainNetwork(s));
            }
        }
        return s;
    }

    /** The iteration of {@code s} done with {@code t}: the next sample, or the best of all when a limit is reached. */
    private static SearchSnapshot trained(SearchContext ctx, SampledSpace space, SearchSnapshot s, TrainedSpaceNetwork t) {
        List<IterationRecord> history = ctx.finishIteration(s, t);
        int next = s.iteration() + 1;
        String stop = ctx.stopAfter(next).orElse(null);
        if (stop != null) {
            IterationRecord best = best(history);
            return ctx.finish(next, sample(ctx, space, best.iteration()), history, null, best.validationAccuracy(), stop,
                    s.memoryBudgetBytes(), 0);
        }
        return ctx.next(next, sample(ctx, space, next), history, s.memoryBudgetBytes());
    }

    /** The samples of the iterations from {@code s} on, trained side by side as jobs, taken in order as if one by one. */
    private static SearchSnapshot batch(SearchContext ctx, SampledSpace space, SearchSnapshot s, RunJobs jobs) {
        List<SpaceNetwork> networks = new ArrayList<>();
        for (int k = 0; k < width(ctx, s.iteration(), jobs); k++) {
            networks.add(k == 0 ? s.network() : sample(ctx, space, s.iteration() + k));
        }
        List<JobOutcome> outcomes = train(ctx, s.iteration(), networks, jobs);
        long t0 = System.nanoTime();
        for (int k = 0; k < outcomes.size() && s.phase() == SearchPhase.SEARCH_TRAINING; k++) {
            JobOutcome o = outcomes.get(k);
            if (!o.ok()) {
                // as in-process, where a sample the device cannot hold ends the search with the error
                throw new IllegalStateException(o.message() + "; give the search a larger device or a smaller batch (--batch)");
            }
            s = trained(ctx, space, s, TrainNetworkJob.trained(networks.get(k), o.value(), t0));
        }
        return s;
    }
    private static SpaceNetwork sample(SearchContext ctx, SampledSpace space, int iteration) {
        return space.sample(ctx.seed(SAMPLE, iteration));
    }

    /** The iteration with the highest validation accuracy, the earliest of equals. */
    private static IterationRecord best(List<IterationRecord> history) {
        IterationRecord best = history.get(0);
        for (IterationRecord r : history) {
            if (r.validationAccuracy() > best.validationAccuracy()) {
                best = r;
            }
        }
        return best;
    }

    // ---- SpiderNet's space

    /** Largest number of growth steps a sample takes: what SpiderNet could add (one per cell per round). */
    private static int maxSteps(SearchContext ctx) {
        return ctx.config().iterations() * ctx.initial().cells().size();
    }

    private static Genome sample(SearchContext ctx, MemoryBudget b, int iteration) {
        return ctx.space().sample(ctx.initial(), maxSteps(ctx), b, ctx.seed(SAMPLE, iteration));
    }

    private static SearchSnapshot start(SearchContext ctx) {
        MemoryBudget budget = ctx.memoryBudget();
        Genome g = sample(ctx, budget, 0);
        String stop = ctx.stopAfter(0).orElse(null);
        if (stop != null) {
            return ctx.finish(0, g, List.of(), null, Double.NaN, stop, budget.bytes(), 0);
        }
        return ctx.next(0, g, List.of(), null, Double.NaN, ctx.initial(), List.of(), budget.bytes(), 0);
    }

    private static SearchSnapshot iteration(SearchContext ctx, SearchSnapshot s) {
        TrainedNetwork t;
        try {
            t = ctx.train(s);
        } catch (NetworkOutOfMemory e) {
            return rollBack(ctx, s, e);
        }
        return trained(ctx, s, t);
    }

    /** The iteration of {@code s} done with {@code t}: keeps the best so far, then the next sample or the end. */
    private static SearchSnapshot trained(SearchContext ctx, SearchSnapshot s, TrainedNetwork t) {
        int it = s.iteration();
        MemoryBudget b = ctx.memoryBudget(s);
        Genome best = s.best();
        double bestVal = s.bestValidationAccuracy();
        if (best == null || t.validationAccuracy() > bestVal) {
            best = t.pruned();
            bestVal = t.validationAccuracy();
        }
        Genome next = sample(ctx, b, it + 1);
        List<IterationRecord> history = ctx.finishIteration(s, t, 0);
        String stop = ctx.stopAfter(it + 1).orElse(null);
        if (stop != null) {
            return ctx.finish(it + 1, best, history, best, bestVal, stop, b.bytes(), s.outOfMemoryRollbacks());
        }
        return ctx.next(it + 1, next, history, best, bestVal, ctx.initial(), List.of(), b.bytes(),
                s.outOfMemoryRollbacks());
    }

    /**
     * The samples of the iterations from {@code s} on (drawn under its budget, as one by one would
     * draw them), trained side by side as jobs and taken in order as if trained one by one. A
     * sample the executors could not hold is trained again here, where running out of memory
     * rolls back as it always does (and lowers the budget the later samples are drawn under, so
     * their results are dropped).
     */
    private static SearchSnapshot batch(SearchContext ctx, SearchSnapshot s, RunJobs jobs) {
        MemoryBudget b = ctx.memoryBudget(s);
        List<Genome> genomes = new ArrayList<>();
        for (int k = 0; k < width(ctx, s.iteration(), jobs); k++) {
            genomes.add(k == 0 ? s.genome() : sample(ctx, b, s.iteration() + k));
        }
        List<SpaceNetwork> networks = genomes.stream().map(SpaceNetwork::of).toList();
        List<JobOutcome> outcomes = train(ctx, s.iteration(), networks, jobs);
        long t0 = System.nanoTime();
        for (int k = 0; k < outcomes.size() && s.phase() == SearchPhase.SEARCH_TRAINING; k++) {
            JobOutcome o = outcomes.get(k);
            if (!o.ok()) {
                return iteration(ctx, s);
            }
            s = trained(ctx, s, TrainNetworkJob.trained(genomes.get(k), o.value(), t0));
        }
        return s;
    }

    /**
     * How many iterations from {@code first} on to train at once: the service's width, fewer when
     * the iteration or image limit stops the search sooner (the wall-time limit is checked as
     * always, after each; what it cuts off was trained for nothing).
     */
    private static int width(SearchContext ctx, int first, RunJobs jobs) {
        int width = 1;
        while (width < jobs.service().parallelism() && first + width < ctx.config().iterations()
                && ctx.imagesSeen(first + width) < ctx.limits().images()) {
            width++;
        }
        return width;
    }

    /** Trains {@code networks}, those of iterations {@code first} on, as jobs; outcomes in order. */
    private static List<JobOutcome> train(SearchContext ctx, int first, List<SpaceNetwork> networks, RunJobs jobs) {
        List<Job> batch = new ArrayList<>();
        for (int k = 0; k < networks.size(); k++) {
            batch.add(TrainNetworkJob.job(networks.get(k), ctx.iterationTraining(first + k), jobs));
        }
        LOG.info("random search: iterations {} to {} trained side by side on {}", first, first + networks.size() - 1,
                jobs.service().description());
        return jobs.service().run(batch);
    }

    /** Gives up the sample of {@code s} and draws it again under the lowered budget. */
    private static SearchSnapshot rollBack(SearchContext ctx, SearchSnapshot s, NetworkOutOfMemory e) {
        MemoryBudget lowered = ctx.rollBack(s, e, !s.genome().equals(ctx.initial()), ctx.initial());
        Genome g = sample(ctx, lowered, s.iteration());
        return ctx.next(s.iteration(), g, s.history(), s.best(), s.bestValidationAccuracy(), ctx.initial(), List.of(),
                lowered.bytes(), s.outOfMemoryRollbacks() + 1);
    }
}
