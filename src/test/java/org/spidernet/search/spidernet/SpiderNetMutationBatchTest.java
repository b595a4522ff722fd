package org.spidernet.search.spidernet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.spidernet.backend.reference.ReferenceBackend;
import org.spidernet.data.DatasetSplit;
import org.spidernet.data.HoldoutSplit;
import org.spidernet.data.ImageDataset;
import org.spidernet.data.TrainingData;
import org.spidernet.graph.EdgeSplit;
import org.spidernet.graph.Genome;
import org.spidernet.graph.InputSpec;
import org.spidernet.jobs.BackendRef;
import org.spidernet.jobs.DataRef;
import org.spidernet.jobs.InProcessEvaluation;
import org.spidernet.jobs.RunEnvironment;
import org.spidernet.jobs.WideInProcess;
import org.spidernet.search.CandidateDecision;
import org.spidernet.search.CandidateScorer;
import org.spidernet.search.JobCandidateScorer;
import org.spidernet.search.MemoryBudget;
import org.spidernet.search.MetricCandidateScorer;
import org.spidernet.search.MutationRound;
import org.spidernet.search.ScoreSplitJob;
import org.spidernet.search.ScoringScale;
import org.spidernet.train.SyntheticImages;

/**
 * A mutation round scores its candidates in batches of the scorer's parallelism and must decide
 * exactly as when it scores them one by one: same genome, same accepted splits, every candidate
 * record equal (decisions, deltas, scores, reasons), whatever the batch width and whatever order
 * the batch's jobs ran in.
 */
class SpiderNetMutationBatchTest {
    private static final List<String> METRICS = List.of("ntk_centred", "lrc");

    /**
     * Scores drawn from the seed: about half good, one in six failed, one in eight out of memory;
     * records every batch it was handed. Deterministic per (split, seed), as a real scorer is.
     */
    private static final class DrawnScorer implements CandidateScorer {
        private final int parallelism;
        final List<Integer> batches = new ArrayList<>();

        DrawnScorer(int parallelism) {
            this.parallelism = parallelism;
        }

        @Override
        public Scores score(Genome current, EdgeSplit split, long seed) {
            throw new AssertionError("the round scores through scoreAll");
        }

        @Override
        public List<Outcome> scoreAll(Genome current, List<EdgeSplit> splits, List<Long> seeds) {
            batches.add(splits.size());
            List<Outcome> out = new ArrayList<>();
            for (long seed : seeds) {
                Random r = new Random(seed);
                double u = r.nextDouble();
                if (u < 1.0 / 6) {
                    out.add(Outcome.failed(CandidateDecision.FAILED, "drawn failure " + seed));
                } else if (u < 1.0 / 6 + 1.0 / 8) {
                    out.add(Outcome.failed(CandidateDecision.OUT_OF_MEMORY, "drawn out of memory " + seed));
                } else {
                    boolean good = r.nextBoolean();
                    double lrc = (good ? 1 : -1) * (0.01 + r.nextDouble());
                    double ntk = (good ? -1 : 1) * (0.01 + r.nextDouble());
                    out.add(Outcome.of(new Scores(Map.of("lrc", 1 + lrc, "ntk_centred", 1 + ntk),
                            Map.of("lrc", 1.0, "ntk_centred", 1.0), Map.of("lrc", lrc, "ntk_centred", ntk))));
                }
            }
            return out;
        }

        @Override
        public int parallelism() {
            return parallelism;
        }

        @Override
        public boolean higherIsBetter(String metric) {
            return metric.equals("lrc");
        }
    }

    /** A budget that leaves out roughly the larger third of the children, so over-budget candidates sit between scored ones. */
    private static MemoryBudget budgetBetween(Genome g) {
        MemoryBudget unlimited = new MemoryBudget(1L << 40, 8, Float.BYTES);
        List<Long> peaks = new ArrayList<>();
        for (int k = 0; k < g.cells().size(); k++) {
            for (EdgeSplit s : EdgeSplit.candidates(g, k)) {
                peaks.add(unlimited.plannedPeak(s.applyTo(g)));
            }
        }
        Collections.sort(peaks);
        return unlimited.withBytes(peaks.get(peaks.size() * 2 / 3));
    }

    @Test
    void everyBatchWidthDecidesAsOneByOne() {
        long seed = System.nanoTime();
        Genome start = Genome.initial(new InputSpec(1, 28, 28, 10), 4, 2);
        MemoryBudget budget = budgetBetween(start);
        for (int good : new int[]{1, 2, 3}) {
            for (long round = seed; round < seed + 5; round++) {
                DrawnScorer single = new DrawnScorer(1);
                MutationRound expected = new SpiderNetMutation(single, budget, METRICS, good).run(start, round);
                assertTrue(single.batches.stream().allMatch(b -> b == 1), "width 1 scores one at a time");
                assertTrue(expected.candidates().stream().anyMatch(c -> c.decision() == CandidateDecision.OVER_BUDGET),
                        "the budget must leave some candidates out (seed " + round + ")");
                for (int width : new int[]{2, 3, 7, 100}) {
                    DrawnScorer wide = new DrawnScorer(width);
                    MutationRound got = new SpiderNetMutation(wide, budget, METRICS, good).run(start, round);
                    String where = "width " + width + ", " + good + " good candidates, round seed " + round;
                    assertEquals(expected, got, where);
                    assertTrue(wide.batches.stream().allMatch(b -> b <= width), where + ": batches " + wide.batches);
                    assertTrue(wide.batches.stream().anyMatch(b -> b > 1), where + ": some batch holds several candidates");
                }
            }
        }
    }

    @Test
    void scoringThroughJobsMatchesTheDirectScorerBitForBit() {
        long seed = System.nanoTime();
        ImageDataset images = SyntheticImages.make(40, 3, 8, seed);
        HoldoutSplit hold = HoldoutSplit.lastN(images, 8);
        ScoringScale scale = new ScoringScale(1, 6, 1, 12);
        Genome start = Genome.initial(new InputSpec(images.channels(), images.height(), images.width(), images.numClasses()),
                2, 1);
        MemoryBudget budget = new MemoryBudget(1L << 40, 8, Double.BYTES);
        DataRef dataRef = new DataRef("synthetic", null, null, 8, 8);
        BackendRef backendRef = new BackendRef("reference", null);
        try (ReferenceBackend b = new ReferenceBackend()) {
            MutationRound direct = new SpiderNetMutation(new MetricCandidateScorer(b, hold.train(), METRICS, 1, scale), budget,
                    METRICS, 2).run(start, seed);
            RunEnvironment env = new RunEnvironment(b, backendRef, new TrainingData("synthetic",
                    new DatasetSplit(images, images.subset(0, 8)), hold), dataRef);
            ScoreSplitJob.Settings settings = new ScoreSplitJob.Settings(METRICS, 1, scale, dataRef, backendRef);
            MutationRound viaJobs = new SpiderNetMutation(new JobCandidateScorer(new InProcessEvaluation(env), settings), budget,
                    METRICS, 2).run(start, seed);
            assertEquals(direct, viaJobs, "in-process jobs, seed " + seed);
            MutationRound reversed = new SpiderNetMutation(new JobCandidateScorer(
                    new WideInProcess(env, 4), settings), budget, METRICS, 2).run(start, seed);
            assertEquals(direct, reversed, "batches of 4 run back to front, seed " + seed);
            assertTrue(direct.candidates().stream().anyMatch(c -> !c.deltas().isEmpty()), "some candidate was scored");
        }
    }
}
