package org.spidernet.search.random;

import org.spidernet.graph.Genome;
import org.spidernet.search.IterationRecord;
import org.spidernet.search.MemoryBudget;
import org.spidernet.search.NetworkOutOfMemory;
import org.spidernet.search.SearchContext;
import org.spidernet.search.SearchPhase;
import org.spidernet.search.SearchSnapshot;
import org.spidernet.search.SearchStrategy;
import org.spidernet.search.StrategyOption;
import org.spidernet.search.TrainedNetwork;

import java.util.List;

/**
 * The random-search baseline: each iteration trains a random sample of the search space (as far
 * from the initial net as SpiderNet could grow in the run's iterations) under the same budget for
 * the same epochs; the best by validation accuracy, pruned, is trained finally. A sample that runs
 * out of device memory in training is drawn again under the lowered budget with the same seed.
 */
public final class RandomSearch implements SearchStrategy {
    /** Seed path of a sample (the context's own paths are 1 and 4). */
    private static final int SAMPLE = 3;

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
    public SearchSnapshot search(SearchContext ctx) {
        SearchSnapshot s = ctx.resumed().orElseGet(() -> start(ctx));
        while (s.phase() == SearchPhase.SEARCH_TRAINING) {
            s = iteration(ctx, s);
        }
        return s;
    }

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
        int it = s.iteration();
        MemoryBudget b = ctx.memoryBudget(s);
        TrainedNetwork t;
        try {
            t = ctx.train(s);
        } catch (NetworkOutOfMemory e) {
            return rollBack(ctx, s, e);
        }
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

    /** Gives up the sample of {@code s} and draws it again under the lowered budget. */
    private static SearchSnapshot rollBack(SearchContext ctx, SearchSnapshot s, NetworkOutOfMemory e) {
        MemoryBudget lowered = ctx.rollBack(s, e, !s.genome().equals(ctx.initial()), ctx.initial());
        Genome g = sample(ctx, lowered, s.iteration());
        return ctx.next(s.iteration(), g, s.history(), s.best(), s.bestValidationAccuracy(), ctx.initial(), List.of(),
                lowered.bytes(), s.outOfMemoryRollbacks() + 1);
    }
}
