package org.spidernet.jobs;

import org.spidernet.backend.Backend;
import org.spidernet.data.TrainingData;

/**
 * What a running job may use beyond its description: an open backend and loaded data, by the
 * references the job carries. In-process these are the run's own; an executor opens and loads
 * them once ({@link OpenedEnvironment}). A job closes every tensor it allocates; the backend and
 * the data belong to the environment.
 */
public interface JobEnvironment {

    Backend backend(BackendRef ref);

    TrainingData data(DataRef ref);
}
