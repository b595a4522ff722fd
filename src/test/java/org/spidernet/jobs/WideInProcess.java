package org.spidernet.jobs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A test stand-in for a distributed service: claims {@code parallelism} slots, so strategies hand
 * it whole batches, and runs each batch in-process back to front, handing the outcomes back in
 * batch order, as a cluster may finish them in any order. Counts the jobs and batches it ran.
 */
public final class WideInProcess implements EvaluationService {
    private final InProcessEvaluation inner;
    private final int parallelism;
    private final List<Integer> batches = new ArrayList<>();

    public WideInProcess(JobEnvironment env, int parallelism) {
        this.inner = new InProcessEvaluation(env);
        this.parallelism = parallelism;
    }

    @Override
    public List<JobOutcome> run(List<Job> jobs) {
        batches.add(jobs.size());
        List<Job> reversed = new ArrayList<>(jobs);
        Collections.reverse(reversed);
        List<JobOutcome> out = new ArrayList<>(inner.run(reversed));
        Collections.reverse(out);
        return out;
    }

    /** The size of every batch run so far, in order. */
    public List<Integer> batches() {
        return List.copyOf(batches);
    }

    @Override
    public int parallelism() {
        return parallelism;
    }

    @Override
    public String description() {
        return "in-process, batches of up to " + parallelism + " run back to front";
    }

    @Override
    public void close() {
    }
}
