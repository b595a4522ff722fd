package org.spidernet.spark;

import org.spidernet.jobs.EvaluationService;
import org.spidernet.jobs.EvaluationServiceProvider;

import java.util.Map;

/** The {@code spark} evaluation service: {@code --spark MASTER} on the command line. */
public final class SparkEvaluationProvider implements EvaluationServiceProvider {

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public EvaluationService open(String master, Map<String, String> conf) {
        return SparkEvaluation.open(master, conf);
    }
}
