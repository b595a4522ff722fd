package org.spidernet.spark;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.spidernet.jobs.FailureKind;
import org.spidernet.jobs.Job;
import org.spidernet.jobs.JobOutcome;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spark embedded in this JVM ({@code local[2]}): the same outcomes as in-process, in batch order. */
class LocalSparkTest {
    private static SparkEvaluation spark;

    @BeforeAll
    static void open() {
        spark = SparkEvaluation.open("local[2]", Map.of("spark.ui.enabled", "false"));
    }

    @AfterAll
    static void close() {
        if (spark != null) {
            spark.close();
        }
    }

    @Test
    void scoreSplitOutcomesEqualInProcessOnesBitForBitAndInBatchOrder() {
        List<Job> jobs = Batches.scoreSplits();
        List<String> expected = Batches.scoreSplitsInProcess();
        List<JobOutcome> got = spark.run(jobs);

        assertEquals(expected, Batches.json(got));
        // the batch holds successes and the typed failure, where the batch put it
        int oom = jobs.size() - 2;
        assertEquals(FailureKind.OUT_OF_MEMORY, got.get(oom).failure(), got.get(oom).toJson());
        assertEquals(jobs.size() - 1, got.stream().filter(JobOutcome::ok).count());
        // the first and the last job score the same split with different seeds: order matters
        assertFalse(got.get(0).toJson().equals(got.get(jobs.size() - 1).toJson()));
    }

    @Test
    void outcomesComeBackInBatchOrderWhenJobsFinishOutOfOrder() {
        // the first jobs sleep longest, so later ones finish first
        List<Job> jobs = List.of(TestJobKinds.Where.job(0, 600), TestJobKinds.Where.job(1, 300),
                TestJobKinds.Where.job(2, 0), TestJobKinds.Where.job(3, 0), TestJobKinds.Where.job(4, 0));
        List<JobOutcome> got = spark.run(jobs);
        for (int i = 0; i < jobs.size(); i++) {
            assertEquals(TestJobKinds.checksum(i), got.get(i).value().get("value").asDouble(), 0.0);
            // local mode: the tasks ran in this JVM, on the environment's long-lived job threads
            assertEquals(ProcessHandle.current().pid(), got.get(i).value().get("pid").asLong());
            assertTrue(got.get(i).value().get("thread").asText().startsWith("spidernet-job-"), got.get(i).toJson());
        }
    }

    @Test
    void aJobThatFaultsIsNamedByIndexKindAndCause() {
        List<Job> jobs = List.of(TestJobKinds.Nothing.job(0), TestJobKinds.Nothing.job(1), TestJobKinds.Fault.job(7),
                TestJobKinds.Nothing.job(3));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> spark.run(jobs));
        assertTrue(e.getMessage().startsWith("spark: job 2 (test-fault) failed after Spark's retries: "), e.getMessage());
        assertTrue(e.getMessage().contains("test fault 7"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void anEmptyBatchHasNoOutcomes() {
        assertEquals(List.of(), spark.run(List.of()));
    }

    @Test
    void describesMasterAndTaskSlots() {
        assertEquals(2, spark.parallelism());
        assertEquals("spark local[2], 2 task slots", spark.description());
    }
}
