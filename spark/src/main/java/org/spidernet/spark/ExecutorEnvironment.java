package org.spidernet.spark;

import org.spidernet.jobs.OpenedEnvironment;

/**
 * The environment jobs run in on this JVM when it is a Spark executor (or the driver, in local
 * mode): one {@link OpenedEnvironment} for the JVM's life.
 *
 * <p>Why a static: Spark deserialises a fresh copy of a task's function for every task, so state
 * kept in the function would open a backend and load the dataset again for each job. An executor
 * is a long-lived JVM that runs many tasks of one application, one per task slot at a time; a
 * JVM-wide holder lets every task after the first reuse what the first opened (the environment
 * keeps one backend per task thread, and the data once). The executor's JVM ends with the
 * application, so a shutdown hook is the place to close the backends.
 */
final class ExecutorEnvironment {
    private static OpenedEnvironment env;

    private ExecutorEnvironment() {
    }

    static synchronized OpenedEnvironment get() {
        if (env == null) {
            OpenedEnvironment opened = new OpenedEnvironment();
            Runtime.getRuntime().addShutdownHook(new Thread(opened::close, "spidernet-executor-environment-close"));
            env = opened;
        }
        return env;
    }
}
