package org.spidernet.jobs;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs jobs one after the other in this JVM, on the environment given (the run's own backend and
 * data). Each job and outcome goes through its wire form, as it would to an executor, so a
 * description that leaves something out fails here too, not only on a cluster.
 */
public final class InProcessEvaluation implements EvaluationService {
    private final JobEnvironment env;

    public InProcessEvaluation(JobEnvironment env) {
        this.env = env;
    }

    @Override
    public List<JobOutcome> run(List<Job> jobs) {
        List<JobOutcome> out = new ArrayList<>(jobs.size());
        for (Job j : jobs) {
            out.add(JobOutcome.fromJson(JobKinds.run(j.toJson(), env)));
        }
        return out;
    }

    @Override
    public int parallelism() {
        return 1;
    }

    @Override
    public String description() {
        return "in-process";
    }

    @Override
    public void close() {
        // the environment's backend and data belong to the run
    }
}
