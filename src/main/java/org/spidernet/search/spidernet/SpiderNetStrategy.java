package org.spidernet.search.spidernet;

import org.spidernet.graph.Genome;
import org.spidernet.search.CandidateDecision;
import org.spidernet.search.CandidateRecord;
import org.spidernet.search.IterationRecord;
import org.spidernet.search.MemoryBudget;
import org.spidernet.search.MutationRound;
import org.spidernet.search.NetworkOutOfMemory;
import org.spidernet.search.SearchConfig;
import org.spidernet.search.SearchContext;
import org.spidernet.search.SearchDefaults;
import org.spidernet.search.SearchPhase;
import org.spidernet.search.SearchSnapshot;
import org.spidernet.search.SearchStrategy;
import org.spidernet.search.StrategyOption;
import org.spidernet.search.TrainedNetwork;

import java.util.List;

/**
 * SpiderNet's search: a mutation round on the initial net, then iterations of training (pruning
 * active) -> mutation round -> re-initialisation, until the iteration limit (or another limit of
 * the context) or until no split fits the memory budget. The found network is the last round's.
 * A grown network that runs out of device memory in training is rolled back to the network it
 * was grown from, and that round is run again under the lowered budget with the same seed.
 */
public final class SpiderNetStrategy implements SearchStrategy {
    /** Seed path of a mutation round (the context's own paths are 1 and 4). */
    private static final int ROUND = 2;

    @Override
    public String name() {
        return "spidernet";
    }

    @Override
    public String description() {
        return "SpiderNet: grow cells by edge splits scored train-free, train with op pruning, repeat";
    }

    @Override
    public List<StrategyOption> options() {
        return List.of(
                new StrategyOption("metrics", "train-free metrics scoring candidate splits",
                        String.join(",", SearchDefaults.METRICS), String.join(",", SearchDefaults.METRICS)),
                new StrategyOption("candidates", "good candidates evaluated per cell and round",
                        String.valueOf(SearchDefaults.CANDIDATES), String.valueOf(SearchDefaults.CANDIDATES)),
                new StrategyOption("inits", "random initialisations each candidate's scores are averaged over",
                        String.valueOf(SearchDefaults.CPU.inits()), String.valueOf(SearchDefaults.GPU.inits())));
    }

    @Override
    public SearchSnapshot search(SearchContext ctx) {
        SearchSnapshot s = ctx.resumed().orElseGet(() -> start(ctx));
        while (s.phase() == SearchPhase.SEARCH_TRAINING) {
            s = iteration(ctx, s);
        }
        return s;
    }

    /** The mutation round that grows {@code parent} into the network of search iteration {@code iteration}. */
    private static MutationRound round(SearchContext ctx, Genome parent, MemoryBudget b, int iteration) {
        SearchConfig cfg = ctx.config();
        MutationRound r = new SpiderNetMutation(ctx.scorer(), b, cfg.metrics(), cfg.goodCandidates())
                .run(parent, ctx.seed(ROUND, iteration));
        ctx.observer().roundFinished(iteration - 1, r);
        return r;
    }

    private static SearchSnapshot start(SearchContext ctx) {
        MemoryBudget budget = ctx.memoryBudget();
        MutationRound r = round(ctx, ctx.initial(), budget, 0);
        String stop = noFitReason(r);
        if (stop == null) {
            stop = ctx.stopAfter(0).orElse(null);
        }
        if (stop != null) {
            return ctx.finish(0, r.genome(), List.of(), null, Double.NaN, stop, budget.bytes(), 0);
        }
        return ctx.next(0, r.genome(), List.of(), null, Double.NaN, ctx.initial(), r.accepted(), budget.bytes(), 0);
    }

    /**
     * SpiderNet stops when no candidate of any cell fits: each is over the budget or (then the
     * device holds less than the budget says) could not even be scored in the device's memory.
     */
    private static String noFitReason(MutationRound r) {
        if (r.grew() || r.candidates().isEmpty()) {
            return null;
        }
        boolean scoringRanOut = false;
        for (CandidateRecord c : r.candidates()) {
            if (c.decision() == CandidateDecision.OUT_OF_MEMORY) {
                scoringRanOut = true;
            } else if (c.decision() != CandidateDecision.OVER_BUDGET) {
                return null;
            }
        }
        return scoringRanOut
                ? "no mutation fits the memory budget (every candidate split's planned peak exceeds it or its scoring ran out of device memory)"
                : "no mutation fits the memory budget (every candidate split's planned peak exceeds it)";
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
        MutationRound r = round(ctx, t.pruned(), b, it + 1);
        List<IterationRecord> history = ctx.finishIteration(s, t, r.accepted().size());
        String stop = noFitReason(r);
        if (stop == null) {
            stop = ctx.stopAfter(it + 1).orElse(null);
        }
        if (stop != null) {
            return ctx.finish(it + 1, r.genome(), history, s.best(), s.bestValidationAccuracy(), stop, b.bytes(),
                    s.outOfMemoryRollbacks());
        }
        return ctx.next(it + 1, r.genome(), history, s.best(), s.bestValidationAccuracy(), t.pruned(), r.accepted(),
                b.bytes(), s.outOfMemoryRollbacks());
    }

    /** Undoes the round that grew the network of {@code s} and runs it again under the lowered budget. */
    private static SearchSnapshot rollBack(SearchContext ctx, SearchSnapshot s, NetworkOutOfMemory e) {
        boolean grown = s.parent() != null && !s.grownBy().isEmpty();
        MemoryBudget lowered = ctx.rollBack(s, e, grown, s.parent());
        int rollbacks = s.outOfMemoryRollbacks() + 1;
        MutationRound r = round(ctx, s.parent(), lowered, s.iteration());
        String stop = noFitReason(r);
        if (stop != null) {
            return ctx.finish(s.iteration(), r.genome(), s.history(), s.best(), s.bestValidationAccuracy(), stop,
                    lowered.bytes(), rollbacks);
        }
        return ctx.next(s.iteration(), r.genome(), s.history(), s.best(), s.bestValidationAccuracy(), s.parent(),
                r.accepted(), lowered.bytes(), rollbacks);
    }
}
