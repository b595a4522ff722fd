package org.spidernet.search;

import org.junit.jupiter.api.Test;
import org.spidernet.backend.reference.ReferenceBackend;
import org.spidernet.data.ImageDataset;
import org.spidernet.graph.Genome;
import org.spidernet.graph.GenomeJson;
import org.spidernet.train.EpochMetrics;
import org.spidernet.train.SyntheticImages;
import org.spidernet.train.TrainConfig;
import org.spidernet.train.TrainingListener;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pins a tiny search of each built-in strategy, seed for seed, to what it produced before the
 * strategies became plug-ins: the found genome (as JSON) and a trace of everything the observer
 * saw, which is what the event log and the checkpoints are written from (every snapshot with a
 * digest of its genome, parent, best genome and tensors; every candidate with its decision and
 * score; every epoch's metrics, without their timings). The expected files were captured from the
 * code before the refactor; {@code -Dspidernet.capture=DIR} writes fresh ones into DIR instead.
 * The SpiderNet trace was recaptured once, for issue 16's fan_out rule (the NTK's depthwise init):
 * with the old rule restored the code of that commit reproduced every old file, and with the new
 * one only the NTK deltas of that trace changed (the found genomes did not).
 */
class SearchEquivalenceTest {
    private static final long SEED = 20240613L;

    private static SearchConfig config(String strategy) {
        TrainConfig tc = new TrainConfig(2, 8, 0.05, 0.9, 3e-4, 0.2, 1, true, 3, 0.5, 0.05, true, 1, 0.3, 0, SEED, false);
        return new SearchConfig(1, 2, 2, tc, 1, 1L << 40, 2, List.of("ntk_centred", "lrc"), 1,
                new ScoringScale(1, 6, 1, 12), strategy, SEED);
    }

    private record Traced(SearchRun.Result result, List<String> trace) {
    }

    /**
     * Train-free scores drawn from the candidate's seed: about half the candidates are good, so
     * the rounds grow the network and rank several good candidates (the real metrics on so tiny
     * a network find none good, which would leave growth unpinned).
     */
    private record DrawnScores() implements CandidateScorer {
        @Override
        public Scores score(Genome current, org.spidernet.graph.EdgeSplit split, long seed) {
            java.util.Random r = new java.util.Random(seed);
            double sign = r.nextBoolean() ? 1 : -1;
            double lrc = sign * (0.01 + r.nextDouble());
            double ntk = -sign * (0.01 + r.nextDouble());
            return new Scores(Map.of("lrc", 1 + lrc, "ntk_centred", 1 + ntk), Map.of("lrc", 1.0, "ntk_centred", 1.0),
                    Map.of("lrc", lrc, "ntk_centred", ntk));
        }

        @Override
        public boolean higherIsBetter(String metric) {
            return metric.equals("lrc");
        }
    }

    private static Traced run(String strategy) {
        return run(strategy, false);
    }

    private static Traced run(String strategy, boolean drawnScores) {
        SearchConfig cfg = config(strategy);
        ImageDataset data = SyntheticImages.make(48, 3, 8, SEED);
        List<String> trace = new ArrayList<>();
        try (ReferenceBackend b = new ReferenceBackend()) {
            SearchRun.Observer obs = new SearchRun.Observer() {
                @Override
                public void roundFinished(int iteration, MutationRound round) {
                    StringBuilder s = new StringBuilder("round after " + iteration + " accepted " + round.accepted());
                    for (CandidateRecord c : round.candidates()) {
                        s.append(String.format(Locale.ROOT, " | %s %s %.17g %d %s", c.split(), c.decision(), c.score(),
                                c.plannedPeakBytes(), new TreeMap<>(c.deltas())));
                    }
                    trace.add(s.toString());
                }

                @Override
                public void iterationFinished(IterationRecord r) {
                    trace.add(String.format(Locale.ROOT, "iteration %d edges %d ops %d params %d planned %d val %.17g deleted %d accepted %d",
                            r.iteration(), r.edges(), r.ops(), r.params(), r.plannedPeakBytes(), r.validationAccuracy(),
                            r.opsDeleted(), r.splitsAccepted()));
                }

                @Override
                public void snapshot(SearchSnapshot s) {
                    trace.add(String.format(Locale.ROOT, "snapshot %s %d epochs %d genome %s tensors %s parent %s grown %s best %s %.17g stop %s budget %d rollbacks %d history %d",
                            s.phase(), s.iteration(), s.epochsCompleted(), digest(s.genome()), digest(s.tensors()),
                            digest(s.parent()), s.grownBy(), digest(s.best()), s.bestValidationAccuracy(), s.stopReason(),
                            s.memoryBudgetBytes(), s.outOfMemoryRollbacks(), s.history().size()));
                }

                @Override
                public TrainingListener training(SearchPhase phase, int iteration, int epochs) {
                    return new TrainingListener() {
                        @Override
                        public void epochFinished(EpochMetrics m) {
                            trace.add(String.format(Locale.ROOT, "epoch %s %d/%d %d lr %.17g loss %.17g acc %.17g vloss %.17g vacc %.17g open %d pruned %d",
                                    phase, iteration, epochs, m.epoch(), m.learningRate(), m.trainLoss(), m.trainAccuracy(),
                                    m.validationLoss(), m.validationAccuracy(), m.openGates(), m.pruned()));
                        }

                        @Override
                        public void opsDeleted(int epoch, List<String> labels) {
                            trace.add("ops deleted " + phase + " " + iteration + " " + epoch + " " + labels);
                        }
                    };
                }

                @Override
                public void stopped(String reason) {
                    trace.add("stopped " + reason);
                }

                @Override
                public void rolledBack(RoundRollback r) {
                    trace.add("rolled back " + r);
                }
            };
            SearchRun run = new SearchRun(cfg, b, data.subset(0, 32), data.subset(32, 40), data.subset(40, 48),
                    drawnScores ? new DrawnScores()
                            : new MetricCandidateScorer(b, data.subset(0, 32), cfg.metrics(), cfg.inits(), cfg.scoring()), obs);
            SearchRun.Result r = run.run(null);
            trace.add(String.format(Locale.ROOT, "result test %.17g params %d planned %d iterations %d final deleted %d stop %s budget %d",
                    r.test().accuracy(), r.params(), r.plannedPeakBytes(), r.iterations(), r.finalOpsDeleted(),
                    r.stopReason(), r.memoryBudgetBytes()));
            return new Traced(r, trace);
        }
    }

    private static String digest(Genome g) {
        return g == null ? "-" : sha(GenomeJson.write(g)).substring(0, 16);
    }

    private static String digest(Map<String, double[]> tensors) {
        StringBuilder s = new StringBuilder();
        new TreeMap<>(tensors).forEach((k, v) -> {
            s.append(k).append(':');
            for (double d : v) {
                s.append(Long.toHexString(Double.doubleToRawLongBits(d))).append(',');
            }
        });
        return tensors.isEmpty() ? "-" : sha(s.toString()).substring(0, 16);
    }

    private static String sha(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = SearchEquivalenceTest.class.getResourceAsStream(name)) {
            assertNotNull(in, "missing test resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void check(String strategy, String name, boolean drawnScores) throws IOException {
        Traced t = run(strategy, drawnScores);
        String genome = GenomeJson.write(t.result().genome());
        String trace = String.join("\n", t.trace()) + "\n";
        String dir = System.getProperty("spidernet.capture");
        if (dir != null) {
            Files.writeString(Path.of(dir, "equivalence-" + name + "-genome.json"), genome);
            Files.writeString(Path.of(dir, "equivalence-" + name + "-trace.txt"), trace);
            return;
        }
        assertTrue(t.trace().stream().anyMatch(l -> l.startsWith("iteration 1 ")), "the search must run two iterations");
        assertEquals(resource("equivalence-" + name + "-genome.json"), genome, strategy + ": found genome");
        List<String> expected = resource("equivalence-" + name + "-trace.txt").lines().toList();
        for (int i = 0; i < Math.min(expected.size(), t.trace().size()); i++) {
            assertEquals(expected.get(i), t.trace().get(i), strategy + ": trace line " + (i + 1));
        }
        assertEquals(expected.size(), t.trace().size(), strategy + ": trace length");
    }

    @Test
    void spiderNetSearchIsAsCapturedBeforeThePlugInRefactor() throws IOException {
        check("spidernet", "spidernet", false);
    }

    @Test
    void growingSpiderNetSearchIsAsCapturedBeforeThePlugInRefactor() throws IOException {
        check("spidernet", "spidernet-grown", true);
    }

    @Test
    void randomSearchIsAsCapturedBeforeThePlugInRefactor() throws IOException {
        check("random", "random", false);
    }
}
