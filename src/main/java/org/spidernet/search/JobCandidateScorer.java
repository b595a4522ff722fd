package org.spidernet.search;

import org.spidernet.graph.EdgeSplit;
import org.spidernet.graph.Genome;
import org.spidernet.jobs.EvaluationService;
import org.spidernet.jobs.FailureKind;
import org.spidernet.jobs.Job;
import org.spidernet.jobs.JobOutcome;
import org.spidernet.metrics.MetricRegistry;

import java.util.ArrayList;
import java.util.List;

/**
 * Scores candidates as {@link ScoreSplitJob}s on an evaluation service: in-process one by one, or
 * a batch at once on a distributed service. Outcomes come back in the batch's order and each
 * depends on its own job only, so the round decides the same wherever its candidates ran.
 */
public final class JobCandidateScorer implements CandidateScorer {
    private final EvaluationService service;
    private final ScoreSplitJob.Settings settings;

    public JobCandidateScorer(EvaluationService service, ScoreSplitJob.Settings settings) {
        this.service = service;
        this.settings = settings;
    }

    /** One candidate; either failure is a {@link ScoringFailure} here (its reason says which), {@link #scoreAll} keeps them apart. */
    @Override
    public Scores score(Genome current, EdgeSplit split, long seed) throws ScoringFailure {
        Outcome o = scoreAll(current, List.of(split), List.of(seed)).get(0);
        if (o.scores() == null) {
            throw new ScoringFailure(o.reason());
        }
        return o.scores();
    }

    @Override
    public List<Outcome> scoreAll(Genome current, List<EdgeSplit> splits, List<Long> seeds) {
        List<Job> jobs = new ArrayList<>(splits.size());
        for (int i = 0; i < splits.size(); i++) {
            jobs.add(ScoreSplitJob.job(current, splits.get(i), seeds.get(i), settings));
        }
        List<JobOutcome> outcomes = service.run(jobs);
        List<Outcome> out = new ArrayList<>(outcomes.size());
        for (JobOutcome o : outcomes) {
            out.add(o.ok() ? Outcome.of(ScoreSplitJob.scores(o.value()))
                    : Outcome.failed(o.failure() == FailureKind.OUT_OF_MEMORY ? CandidateDecision.OUT_OF_MEMORY
                            : CandidateDecision.FAILED, o.message()));
        }
        return out;
    }

    @Override
    public int parallelism() {
        return service.parallelism();
    }

    @Override
    public boolean higherIsBetter(String metric) {
        return MetricRegistry.byName(metric).higherIsBetter();
    }
}
