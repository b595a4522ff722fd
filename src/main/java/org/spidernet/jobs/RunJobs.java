package org.spidernet.jobs;

/**
 * A run's evaluation service with the references its jobs carry: the run's data and backend, so
 * an executor loads and opens what the run itself uses.
 */
public record RunJobs(EvaluationService service, DataRef data, BackendRef backend) {
}
