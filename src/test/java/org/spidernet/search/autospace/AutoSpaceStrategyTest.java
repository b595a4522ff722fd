package org.spidernet.search.autospace;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.backend.reference.ReferenceBackend;
import org.spidernet.data.ImageDataset;
import org.spidernet.search.SearchCheckpoint;
import org.spidernet.search.IterationRecord;
import org.spidernet.search.ScoringScale;
import org.spidernet.search.SearchConfig;
import org.spidernet.search.SearchRun;
import org.spidernet.search.SearchSnapshot;
import org.spidernet.search.StrategyOption;
import org.spidernet.train.SyntheticImages;
import org.spidernet.train.TrainConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AutoSpace's search through the shared context on synthetic images: the first checkpoint comes
 * before any file of its own (populations, learned space, fitness plot) and before the step's
 * iteration row, so a run killed before its first checkpoint leaves only what a new run in the
 * same directory clears (io/OutputDirectory; found by {@code scripts/drill-kill autospace}, whose
 * restarted runs were refused); a run stopped after its first step's checkpoint and resumed from
 * the checkpoint on disk ends as an uninterrupted one.
 */
class AutoSpaceStrategyTest {
    private static final class Crash extends RuntimeException {
    }

    private record Run(SearchRun.Result result, List<String> calls) {
    }

    private static SearchConfig config(long seed) {
        TrainConfig tc = new TrainConfig(1, 8, 0.025, 0.9, 3e-4, 0, 1, true, 0, 0.5, 0.05, true, 1, 0.3, 0, seed, false);
        return new SearchConfig(1, 2, 2, tc, 1, 1L << 40, 1, List.of("synflow"), 1, new ScoringScale(1, 6, 1, 12),
                AutoSpaceStrategy.NAME, seed)
                .withOptions(AutoSpaceSettings.OPTIONS.stream().collect(Collectors.toMap(StrategyOption::name,
                        StrategyOption::cpuDefault)));
    }

    private static Run run(SearchConfig cfg, ImageDataset data, SearchSnapshot resume, int crashAfter, Path checkpoint) {
        List<String> calls = new ArrayList<>();
        try (ReferenceBackend b = new ReferenceBackend()) {
            SearchRun.Observer obs = new SearchRun.Observer() {
                @Override
                public void snapshot(SearchSnapshot s) {
                    calls.add("snapshot");
                    if (checkpoint != null) {
                        try {
                            SearchCheckpoint.write(checkpoint, s, cfg, 0);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                    if (calls.stream().filter("snapshot"::equals).count() == crashAfter) {
                        throw new Crash();
                    }
                }

                @Override
                public void iterationFinished(IterationRecord r) {
                    calls.add("iteration");
                }

                @Override
                public void strategyRecord(String fileName, Object value) {
                    calls.add(fileName);
                }

                @Override
                public void strategyPlot(String fileName, String title, String xLabel, String yLabel, double[] x,
                                         java.util.LinkedHashMap<String, double[]> series) {
                    calls.add(fileName);
                }
            };
            SearchRun run = new SearchRun(cfg, b, data.subset(0, 32), data.subset(32, 40), data.subset(40, 48), null, obs);
            try {
                return new Run(run.run(resume), calls);
            } catch (Crash c) {
                return new Run(null, calls);
            }
        }
    }

    private static List<IterationRecord> withoutSeconds(List<IterationRecord> history) {
        return history.stream().map(r -> new IterationRecord(r.iteration(), r.edges(), r.ops(), r.params(), r.plannedPeakBytes(),
                r.measuredPeakBytes(), r.validationAccuracy(), r.opsDeleted(), r.splitsAccepted(), 0)).toList();
    }

    @Test
    void theFirstCheckpointPrecedesTheRunsOwnFilesAndAResumeEndsAsAnUninterruptedRun(@TempDir Path tmp) throws IOException {
        long seed = System.nanoTime();
        ImageDataset data = SyntheticImages.make(48, 3, 8, seed);
        SearchConfig cfg = config(seed);
        Run full = run(cfg, data, null, -1, null);
        List<String> calls = full.calls();
        int first = calls.indexOf("snapshot");
        assertEquals(0, first, "seed " + seed + ": " + calls);
        // each step: its checkpoint, then its row, the populations, the learned space and the plot
        List<String> step = List.of("snapshot", "iteration", PopulationsRecord.FILE, LearnedSpace.FILE,
                AutoSpaceStrategy.FITNESS_PLOT);
        assertEquals(step, calls.subList(0, 5), "seed " + seed);
        assertEquals(step, calls.subList(5, 10), "seed " + seed);
        assertEquals(2, full.result().history().size());

        Path dir = tmp.resolve("checkpoint");
        Run cut = run(cfg, data, null, 1, dir);
        assertEquals(List.of("snapshot"), cut.calls(), "killed at its first checkpoint, it wrote nothing else");
        Run resumed = run(cfg, data, SearchCheckpoint.read(dir), -1, null);
        assertEquals(List.of(PopulationsRecord.FILE, LearnedSpace.FILE, AutoSpaceStrategy.FITNESS_PLOT),
                resumed.calls().subList(0, 3), "a resumed run writes the records of its checkpoint first");
        assertEquals(full.result().network(), resumed.result().network(), "seed " + seed);
        assertEquals(full.result().test().accuracy(), resumed.result().test().accuracy(), 0.0, "seed " + seed);
        assertEquals(withoutSeconds(full.result().history()), withoutSeconds(resumed.result().history()), "seed " + seed);
        assertTrue(full.result().params() > 0);
    }
}
