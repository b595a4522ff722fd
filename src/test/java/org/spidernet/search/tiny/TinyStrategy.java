package org.spidernet.search.tiny;

import org.spidernet.graph.Genome;
import org.spidernet.search.IterationRecord;
import org.spidernet.search.MemoryBudget;
import org.spidernet.search.NetworkOutOfMemory;
import org.spidernet.search.SearchContext;
import org.spidernet.search.SearchDefaults;
import org.spidernet.search.SearchPhase;
import org.spidernet.search.SearchSnapshot;
import org.spidernet.search.SearchStrategy;
import org.spidernet.search.StrategyOption;
import org.spidernet.search.TrainedNetwork;

import java.util.List;
import java.util.Optional;

/**
 * A strategy that exists only in test sources, registered by the test class path's
 * {@code META-INF/services/org.spidernet.search.SearchStrategy}: it shows that a new strategy
 * needs its own package and that line, nothing else. Each iteration trains a random sample of
 * the space, two growth steps at most from the initial net; the best by validation accuracy is
 * found. It stops on whatever limit the context reports, and gives up on an out-of-memory.
 */
public final class TinyStrategy implements SearchStrategy {
    /** Seed path of a sample, apart from the context's own (1 and 4). */
    private static final int SAMPLE = 7;
    private static final int MAX_STEPS = 2;

    @Override
    public String name() {
        return "tiny";
    }

    @Override
    public String description() {
        return "Test-only: train a small random sample per iteration, keep the best";
    }

    @Override
    public List<StrategyOption> options() {
        return List.of(new StrategyOption("iterations", "samples trained",
                String.valueOf(SearchDefaults.CPU.iterations()), String.valueOf(SearchDefaults.GPU.iterations())));
    }

    @Override
    public SearchSnapshot search(SearchContext ctx) {
        MemoryBudget budget = ctx.memoryBudget();
        SearchSnapshot s = ctx.resumed().orElseGet(() -> {
            Genome first = sample(ctx, 0);
            Optional<String> stop = ctx.stopAfter(0);
            return stop.isPresent()
                    ? ctx.finish(0, first, List.of(), null, Double.NaN, stop.get(), budget.bytes(), 0)
                    : ctx.next(0, first, List.of(), null, Double.NaN, null, List.of(), budget.bytes(), 0);
        });
        while (s.phase() == SearchPhase.SEARCH_TRAINING) {
            TrainedNetwork t;
            try {
                t = ctx.train(s);
            } catch (NetworkOutOfMemory e) {
                throw new IllegalStateException("tiny strategy: " + e.getMessage(), e);
            }
            Genome best = s.best();
            double bestVal = s.bestValidationAccuracy();
            if (best == null || t.validationAccuracy() > bestVal) {
                best = t.pruned();
                bestVal = t.validationAccuracy();
            }
            List<IterationRecord> history = ctx.finishIteration(s, t, 0);
            int it = s.iteration() + 1;
            Optional<String> stop = ctx.stopAfter(it);
            s = stop.isPresent()
                    ? ctx.finish(it, best, history, best, bestVal, stop.get(), budget.bytes(), 0)
                    : ctx.next(it, sample(ctx, it), history, best, bestVal, null, List.of(), budget.bytes(), 0);
        }
        return s;
    }

    private static Genome sample(SearchContext ctx, int iteration) {
        return ctx.space().sample(ctx.initial(), MAX_STEPS, ctx.memoryBudget(), ctx.seed(SAMPLE, iteration));
    }
}
