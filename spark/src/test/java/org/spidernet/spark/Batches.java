package org.spidernet.spark;

import org.spidernet.graph.EdgeSplit;
import org.spidernet.graph.Edge;
import org.spidernet.graph.Cell;
import org.spidernet.graph.Genome;
import org.spidernet.graph.InputSpec;
import org.spidernet.jobs.BackendRef;
import org.spidernet.jobs.DataRef;
import org.spidernet.jobs.InProcessEvaluation;
import org.spidernet.jobs.Job;
import org.spidernet.jobs.JobOutcome;
import org.spidernet.jobs.OpenedEnvironment;
import org.spidernet.search.ScoreSplitJob;
import org.spidernet.search.ScoringScale;
import org.spidernet.search.SearchDefaults;

import java.util.ArrayList;
import java.util.List;

/** The score-split batch the tests run everywhere, and its outcomes in-process (computed once per JVM). */
final class Batches {
    /** Fashion-MNIST's first 2000 training images, at a scale that scores a split in well under a second. */
    static final DataRef DATA = new DataRef("fashion-mnist", null, 2000, 500, 32);
    static final ScoringScale TINY = new ScoringScale(1, 8, 1, 16);
    /** An emulated device far too small for any candidate: scoring fails typed, out of memory. */
    static final long TINY_DEVICE_BYTES = 64 * 1024;

    private static List<String> inProcess;

    private Batches() {
    }

    /** Every split of every cell of the initial genome (C=4, R=1), then one on a device too small for it. */
    static List<Job> scoreSplits() {
        Genome g = Genome.initial(InputSpec.FASHION_MNIST, 4, 1);
        ScoreSplitJob.Settings cpu = new ScoreSplitJob.Settings(SearchDefaults.METRICS, 1, TINY, DATA, new BackendRef("cpu", null));
        ScoreSplitJob.Settings tiny = new ScoreSplitJob.Settings(SearchDefaults.METRICS, 1, TINY, DATA,
                new BackendRef("cpu", TINY_DEVICE_BYTES));
        List<Job> jobs = new ArrayList<>();
        long seed = 20_261_207L;
        EdgeSplit first = null;
        for (Cell c : g.cells()) {
            for (Edge e : c.edges()) {
                EdgeSplit s = new EdgeSplit(c.index(), e.from(), e.to());
                first = first == null ? s : first;
                jobs.add(ScoreSplitJob.job(g, s, seed++, cpu));
            }
        }
        jobs.add(ScoreSplitJob.job(g, first, seed++, tiny));
        jobs.add(ScoreSplitJob.job(g, first, seed, cpu));
        return jobs;
    }

    /** {@link #scoreSplits()}'s outcomes from {@link InProcessEvaluation} on an executor-style environment, as JSON. */
    static synchronized List<String> scoreSplitsInProcess() {
        if (inProcess == null) {
            try (OpenedEnvironment env = new OpenedEnvironment()) {
                inProcess = json(new InProcessEvaluation(env).run(scoreSplits()));
            }
        }
        return inProcess;
    }

    static List<String> json(List<JobOutcome> outcomes) {
        return outcomes.stream().map(JobOutcome::toJson).toList();
    }
}
