package org.spidernet.jobs;

import org.spidernet.backend.Backend;
import org.spidernet.data.TrainingData;

/**
 * A run's own backend and data as a job environment (in-process jobs): a job that names other
 * ones is a bug of the run that built it.
 */
public record RunEnvironment(Backend backend, BackendRef backendRef, TrainingData data, DataRef dataRef)
        implements JobEnvironment {

    @Override
    public Backend backend(BackendRef ref) {
        if (!ref.equals(backendRef)) {
            throw new IllegalStateException("job names backend " + ref + ", the run has " + backendRef);
        }
        return backend;
    }

    @Override
    public TrainingData data(DataRef ref) {
        if (!ref.equals(dataRef)) {
            throw new IllegalStateException("job names data " + ref + ", the run has " + dataRef);
        }
        return data;
    }
}
