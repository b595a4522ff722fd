package org.spidernet.jobs;

import java.util.List;

/**
 * Runs batches of independent jobs and returns their outcomes in the batch's order, so a search
 * decides the same whatever ran where and in what order. In-process by default
 * ({@link InProcessEvaluation}); a distributed service is a plug-in ({@link EvaluationServiceProvider}).
 * A fault (a job that throws instead of failing typed, a lost executor that retries cannot
 * recover) is thrown from {@link #run}, naming the job.
 */
public interface EvaluationService extends AutoCloseable {

    List<JobOutcome> run(List<Job> jobs);

    /** How many jobs run at once: the batch width worth handing over (1 in-process). */
    int parallelism();

    /** One line for logs and the event log, e.g. {@code in-process} or {@code spark local[2], 2 task slots}. */
    String description();

    @Override
    void close();
}
