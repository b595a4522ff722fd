package org.spidernet.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.spidernet.backend.reference.ReferenceBackend;
import org.spidernet.data.DatasetSplit;
import org.spidernet.data.HoldoutSplit;
import org.spidernet.data.ImageDataset;
import org.spidernet.data.TrainingData;
import org.spidernet.graph.GenomeJson;
import org.spidernet.jobs.BackendRef;
import org.spidernet.jobs.DataRef;
import org.spidernet.jobs.InProcessEvaluation;
import org.spidernet.jobs.RunEnvironment;
import org.spidernet.jobs.RunJobs;
import org.spidernet.jobs.WideInProcess;
import org.spidernet.train.SyntheticImages;
import org.spidernet.train.TrainConfig;

/**
 * A search whose batches run as jobs on a service several wide ({@link WideInProcess}: whole
 * batches, run back to front) ends exactly as the same search run one thing at a time: the same
 * found network and test accuracy, the same iterations (validation accuracy to the bit,
 * parameters, planned peak, ops deleted, growth), the same snapshots at iteration boundaries and
 * the same stop reason. SpiderNet scores its candidates in batches, random search trains its
 * samples in batches, in SpiderNet's own space and in another ({@code --space}), FaDE trains a
 * generation's regions in batches (its snapshots hold every region's weights, compared to the bit),
 * also when resumed inside a generation.
 */
class DistributedSearchTest {
    private static SearchConfig config(String strategy, long seed, int iterations, String space) {
        return config(strategy, seed, iterations, space, java.util.Map.of());
    }

    /** {@code options} over the strategy's CPU defaults. */
    private static SearchConfig config(String strategy, long seed, int iterations, String space, java.util.Map<String, String> options) {
        TrainConfig tc = new TrainConfig(1, 8, 0.05, 0.9, 3e-4, 0.2, 1, true, 3, 0.5, 0.05, true, 1, 0.3, 0, seed, false);
        java.util.Map<String, String> all = new java.util.TreeMap<>();
        SearchStrategies.byName(strategy).options().forEach(o -> all.put(o.name(), o.cpuDefault()));
        all.putAll(options);
        return new SearchConfig(1, 2, iterations, tc, 1, 1L << 40, 2, List.of("ntk_centred", "lrc"), 1,
                new ScoringScale(1, 6, 1, 12), strategy, seed, SearchConfig.Source.IN_PROCESS, all,
                SearchLimits.NONE, space);
    }

    /** The run as numbers that must not depend on where its jobs ran (no timings). */
    private static List<String> run(SearchConfig cfg, ImageDataset data, int width) {
        return run(cfg, data, width, Long.MAX_VALUE, null, new ArrayList<>());
    }

    /**
     * The run on an emulated device of {@code capacity} bytes (Long.MAX_VALUE: unlimited) from
     * {@code resume} (null: from the start), every snapshot it takes added to {@code snapshots}.
     */
    private static List<String> run(SearchConfig cfg, ImageDataset data, int width, long capacity, SearchSnapshot resume,
                                    List<SearchSnapshot> snapshots) {
        // FaDE's snapshot tensors are every trained region's log weights and figures, where a job's result shows first
        boolean withTensors = cfg.strategy().equals("fade");
        List<String> trace = new ArrayList<>();
        DataRef dataRef = new DataRef("synthetic", null, null, 8, 8);
        BackendRef backendRef = new BackendRef("reference", null);
        try (ReferenceBackend b = capacity == Long.MAX_VALUE ? new ReferenceBackend() : new ReferenceBackend(capacity)) {
            RunEnvironment env = new RunEnvironment(b, backendRef, new TrainingData("synthetic",
                    new DatasetSplit(data.subset(0, 40), data.subset(40, 48)),
                    new HoldoutSplit(data.subset(0, 32), data.subset(32, 40))), dataRef);
            WideInProcess wide = new WideInProcess(env, width);
            RunJobs jobs = new RunJobs(width == 1 ? new InProcessEvaluation(env) : wide, dataRef, backendRef);
            SearchRun.Observer obs = new SearchRun.Observer() {
                @Override
                public void iterationFinished(IterationRecord r) {
                    trace.add(String.format(Locale.ROOT, "iteration %d edges %d ops %d params %d planned %d val %.17g deleted %d accepted %d",
                            r.iteration(), r.edges(), r.ops(), r.params(), r.plannedPeakBytes(), r.validationAccuracy(),
                            r.opsDeleted(), r.splitsAccepted()));
                }

                @Override
                public void rolledBack(RoundRollback r) {
                    trace.add("rolled back " + r);
                }

                @Override
                public void roundFinished(int iteration, MutationRound round) {
                    trace.add("round " + iteration + " " + round);
                }

                @Override
                public void snapshot(SearchSnapshot s) {
                    snapshots.add(s);
                    if (s.epochsCompleted() == 0) { // a batch takes no snapshot within an iteration's training
                        trace.add("snapshot " + s.phase() + " " + s.iteration() + " " + s.network() + " best "
                                + (s.best() == null ? "-" : GenomeJson.write(s.best())) + " " + s.bestValidationAccuracy()
                                + " stop " + s.stopReason());
                        if (withTensors && s.phase() == SearchPhase.SEARCH_TRAINING) {
                            // Double.toString tells every two doubles apart
                            new java.util.TreeMap<>(s.tensors()).forEach((k, v) -> trace.add("  " + k + " " + Arrays.toString(v)));
                        }
                    }
                }
            };
            SearchRun.Result r = new SearchRun(cfg, b, data.subset(0, 32), data.subset(32, 40), data.subset(40, 48),
                    new JobCandidateScorer(jobs.service(), new ScoreSplitJob.Settings(cfg.metrics(), cfg.inits(), cfg.scoring(),
                            dataRef, backendRef)), obs, jobs).run(resume);
            trace.add("result " + r.network() + " test " + r.test().accuracy() + " params " + r.params() + " stop "
                    + r.stopReason());
            if (width > 1 && resume == null) { // a resumed run may have a lone region left
                assertTrue(wide.batches().stream().anyMatch(n -> n > 1), "some batch ran several jobs: " + wide.batches());
            }
        }
        return trace;
    }

    private static void sameAtAnyWidth(SearchConfig cfg, ImageDataset data) {
        sameAtAnyWidth(cfg, data, null);
    }

    /** {@code snapshotsOf}: a strategy whose snapshots are per job (NAGO, FaDE), counted instead of iterations. */
    private static void sameAtAnyWidth(SearchConfig cfg, ImageDataset data, String snapshotsOf) {
        List<String> one = run(cfg, data, 1);
        if (snapshotsOf == null) {
            assertTrue(one.stream().filter(l -> l.startsWith("iteration ")).count() >= 3, "the search ran iterations: " + one);
        } else {
            assertTrue(one.stream().filter(l -> l.startsWith("snapshot SEARCH_TRAINING")).count() >= 4, "jobs ran: " + one);
        }
        for (int width : new int[]{2, 3}) {
            assertEquals(one, run(cfg, data, width), cfg.strategy() + (cfg.space() != null ? " in " + cfg.space() : "")
                    + ", width " + width + ", seed " + cfg.seed());
        }
    }

    @Test
    void randomSearchTrainsItsSamplesSideBySideToTheSameResult() {
        long seed = System.nanoTime();
        sameAtAnyWidth(config("random", seed, 4, null), SyntheticImages.make(48, 3, 8, seed));
    }

    /**
     * On a device too small for some samples, a batch's sample that runs out of memory is trained
     * again in the run, where it rolls back and lowers the budget the later samples are drawn
     * under, exactly as one by one: the same rollbacks, samples and result.
     */
    @Test
    void randomSearchOnATooSmallDeviceRollsBackAsOneByOne() {
        long seed = System.nanoTime();
        ImageDataset data = SyntheticImages.make(48, 3, 8, seed);
        SearchConfig cfg = config("random", seed, 5, null);
        MemoryBudget unlimited = new MemoryBudget(1L << 40, cfg.train().batch(), Double.BYTES);
        org.spidernet.graph.Genome initial = org.spidernet.graph.Genome.initial(new org.spidernet.graph.InputSpec(
                data.channels(), data.height(), data.width(), data.numClasses()), cfg.channels(), cfg.reductions());
        // room for the initial net and a little growth, not for the larger samples
        long capacity = unlimited.plannedPeak(initial) * 5 / 4;
        List<String> one = run(cfg, data, 1, capacity, null, new ArrayList<>());
        assertTrue(one.stream().anyMatch(l -> l.startsWith("rolled back ")), "some sample ran out of memory: " + one);
        for (int width : new int[]{2, 3}) {
            assertEquals(one, run(cfg, data, width, capacity, null, new ArrayList<>()), "width " + width + ", seed " + seed);
        }
    }

    @Test
    void randomSearchInAnotherSpaceToo() {
        long seed = System.nanoTime();
        sameAtAnyWidth(config("random", seed, 3, "autospace"), SyntheticImages.make(48, 3, 8, seed));
    }

    @Test
    void nagoTrainsEachRungsNetworksSideBySideToTheSameResult() {
        long seed = System.nanoTime();
        sameAtAnyWidth(config("nago", seed, 1, null, java.util.Map.of("min-epochs", "1", "max-epochs", "2", "samples", "2",
                "max-params", "3000")), SyntheticImages.make(48, 3, 8, seed), "bracket ");
    }

    @Test
    void fadeTrainsEachGenerationsRegionsSideBySideToTheSameResult() {
        long seed = System.nanoTime();
        sameAtAnyWidth(config("fade", seed, 2, null, java.util.Map.of("stages", "2", "cells", "2", "regions", "3",
                "max-vertices", "4")), SyntheticImages.make(48, 3, 8, seed), "snapshot SEARCH_TRAINING");
    }

    /**
     * Resumed from a random snapshot of its search (inside a generation, most likely, so the
     * regions still to train go out in batches shifted from an uninterrupted run's), a FaDE run on
     * a service two wide takes the snapshots and ends as the uninterrupted one-by-one run from there on.
     */
    @Test
    void fadeResumedOnAWideServiceEndsAsUninterrupted() {
        long seed = System.nanoTime();
        SearchConfig cfg = config("fade", seed, 2, null, java.util.Map.of("stages", "2", "cells", "2", "regions", "3",
                "max-vertices", "4"));
        ImageDataset data = SyntheticImages.make(48, 3, 8, seed);
        List<SearchSnapshot> snapshots = new ArrayList<>();
        List<String> full = run(cfg, data, 1, Long.MAX_VALUE, null, snapshots);
        List<SearchSnapshot> search = snapshots.stream().filter(s -> s.phase() == SearchPhase.SEARCH_TRAINING).toList();
        // not the snapshot after the last step: a region is left to train
        int cut = new java.util.Random(seed).nextInt(search.size() - 2);
        List<String> resumed = run(cfg, data, 2, Long.MAX_VALUE, search.get(cut), new ArrayList<>());
        assertTrue(resumed.size() < full.size(), "the resumed run repeats nothing: " + resumed);
        assertEquals(full.subList(full.size() - resumed.size(), full.size()), resumed, "resumed from snapshot " + cut
                + " (generation " + search.get(cut).iteration() + "), seed " + seed);
    }

    @Test
    void spiderNetScoresItsCandidatesSideBySideToTheSameResult() {
        long seed = System.nanoTime();
        sameAtAnyWidth(config("spidernet", seed, 3, null), SyntheticImages.make(48, 3, 8, seed));
    }
}
