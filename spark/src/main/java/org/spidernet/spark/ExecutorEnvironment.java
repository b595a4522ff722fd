package org.spidernet.spark;

import org.spidernet.jobs.JobKinds;
import org.spidernet.jobs.OpenedEnvironment;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where jobs run on this JVM when it is a Spark executor (or the driver, in local mode): one
 * {@link OpenedEnvironment} for the JVM's life, and the threads that run the jobs.
 *
 * <p>Why a static: Spark deserialises a fresh copy of a task's function for every task, so state
 * kept in the function would open a backend and load the dataset again for each job. An executor
 * is a long-lived JVM that runs many tasks of one application, a few at a time (one per task
 * slot); a JVM-wide holder lets every task after the first reuse what the first opened. The
 * executor's JVM ends with the application, so a shutdown hook is the place to close the backends.
 *
 * <p>Why own threads: the environment opens one backend per thread and keeps it until it is
 * closed, but Spark's task threads come from a pool that ends a thread idle for a minute (as
 * between two batches of a search), so each batch would open backends anew and leave the old ones
 * open. Jobs run instead on threads of this class that never end and are reused when idle: about
 * as many as jobs ran at once on this JVM (its task slots), and so a bounded number of backends.
 */
final class ExecutorEnvironment {
    private static OpenedEnvironment env;
    private static ExecutorService threads;

    private ExecutorEnvironment() {
    }

    private static synchronized OpenedEnvironment env() {
        if (env == null) {
            OpenedEnvironment opened = new OpenedEnvironment();
            ExecutorService pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, Long.MAX_VALUE, TimeUnit.NANOSECONDS,
                    new SynchronousQueue<>(), new JobThreads());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                pool.shutdownNow();
                opened.close();
            }, "spidernet-executor-environment-close"));
            env = opened;
            threads = pool;
        }
        return env;
    }

    private static synchronized ExecutorService threads() {
        env();
        return threads;
    }

    /** Runs one wire-form job on a job thread and returns its outcome's wire form; a fault is rethrown as thrown. */
    static String run(String jobJson) {
        OpenedEnvironment environment = env();
        Future<String> outcome = threads().submit(() -> JobKinds.run(jobJson, environment));
        try {
            return outcome.get();
        } catch (InterruptedException e) {
            // Spark cancels a task by interrupting its thread: pass that on to the job
            outcome.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("job interrupted: its Spark task was cancelled", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    private static final class JobThreads implements java.util.concurrent.ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "spidernet-job-" + count.incrementAndGet());
            // never keeps the JVM alive: the executor ends when Spark ends it
            t.setDaemon(true);
            return t;
        }
    }
}
