package org.spidernet.search.correlate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.backend.reference.ReferenceBackend;
import org.spidernet.data.DatasetFixtures;
import org.spidernet.data.DatasetRegistry;
import org.spidernet.data.DatasetSplit;
import org.spidernet.data.ImageDataset;
import org.spidernet.graph.Genome;
import org.spidernet.graph.InputSpec;
import org.spidernet.jobs.BackendRef;
import org.spidernet.jobs.Job;
import org.spidernet.jobs.JobOutcome;
import org.spidernet.jobs.OpenedEnvironment;
import org.spidernet.jobs.WideInProcess;
import org.spidernet.search.MemoryBudget;
import org.spidernet.search.ScoringScale;
import org.spidernet.search.SearchDefaults;
import org.spidernet.search.SearchSpaces;
import org.spidernet.train.TrainConfig;
import org.spidernet.train.TrainDefaults;

/**
 * A {@code correlate} study's architectures evaluated as jobs (data loaded by the executor from
 * the dataset's directory, the study's subsets cut there) give exactly what the study computes
 * in-process: every metric value, status and detail, the trained test accuracy and the parameters.
 */
class EvaluateArchitectureJobTest {

    @Test
    void jobsGiveTheInProcessResultsExactly(@TempDir Path tmp) throws Exception {
        long seed = System.nanoTime();
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 48, 12, 6, 6);
        CorrelateSettings s = new CorrelateSettings(4, 2, 2, 1, 1, 32, 12, 8, 0.05, seed, 200, new ScoringScale(1, 6, 1, 12),
                8, "mnist", data.toString(), "reference");
        DatasetSplit split = DatasetRegistry.load("mnist", data);
        ImageDataset train = split.train().first(s.trainImages());
        ImageDataset test = split.test().first(s.testImages());
        TrainConfig machine = TrainDefaults.forMachine(new org.spidernet.backend.reference.ReferenceBackendProvider().capabilities()).train();
        Genome initial = Genome.initial(new InputSpec(train.channels(), train.height(), train.width(), train.numClasses()),
                s.channels(), s.reductions());
        List<String> expected = new ArrayList<>();
        List<Job> jobs = new ArrayList<>();
        try (ReferenceBackend b = new ReferenceBackend()) {
            SampledArchitectures sampled = new SampledArchitectures(SearchSpaces.byName(SearchDefaults.SPACE), initial,
                    s.maxSplits(), new MemoryBudget(1L << 40, s.batch(), b.bytesPerElement()), s.seed());
            ArchitectureEvaluation evaluation = new ArchitectureEvaluation(b, s, machine, train, train.channelStats(), test);
            for (int i = 0; i < s.samples(); i++) {
                expected.add(withoutSeconds(ArchitectureFile.toTree(evaluation.evaluate(i, sampled.get(i))).toString()));
                jobs.add(EvaluateArchitectureJob.job(i, sampled.get(i), s, machine, new BackendRef("reference", null)));
            }
        }
        List<String> got = new ArrayList<>();
        try (OpenedEnvironment env = new OpenedEnvironment()) {
            for (JobOutcome o : new WideInProcess(env, 3).run(jobs)) {
                got.add(withoutSeconds(ArchitectureFile.toTree(ArchitectureFile.fromTree(o.value())).toString()));
            }
        }
        assertEquals(expected, got, "seed " + seed);
        assertTrue(expected.stream().anyMatch(r -> r.contains("\"status\":\"ok\"")), "some architecture trained: " + expected);
    }

    /** The seconds an evaluation took are recorded, never compared. */
    private static String withoutSeconds(String json) {
        return json.replaceAll("\"seconds\":[-0-9.eE]+", "\"seconds\":-");
    }
}
