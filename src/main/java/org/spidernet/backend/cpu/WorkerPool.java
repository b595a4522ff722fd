package org.spidernet.backend.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the iterations of one loop on several threads: the index range is cut into contiguous
 * shares, one per worker, and the calling thread runs the first share itself. Each worker has its
 * own {@link Scratch}, addressed by the worker index the loop body receives.
 *
 * <p>A dedicated pool rather than the common ForkJoinPool: on a 2-core machine the common pool
 * has a single thread, and the backend's kernels should not compete with unrelated tasks.
 * Not reentrant: a loop body must not start another parallel loop.
 */
final class WorkerPool implements AutoCloseable {

    /** One share of a parallel loop: iterations {@code from} (inclusive) to {@code to} (exclusive). */
    @FunctionalInterface
    interface RangeBody {
        void run(int worker, int from, int to);
    }

    private static final AtomicInteger POOL_IDS = new AtomicInteger();

    private final int workers;
    private final ExecutorService executor;
    private final Scratch[] scratch;

    WorkerPool(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
        this.workers = workers;
        this.scratch = new Scratch[workers];
        for (int i = 0; i < workers; i++) {
            scratch[i] = new Scratch();
        }
        if (workers == 1) {
            executor = null;
        } else {
            int id = POOL_IDS.incrementAndGet();
            AtomicInteger threadIds = new AtomicInteger();
            executor = Executors.newFixedThreadPool(workers - 1, r -> {
                Thread t = new Thread(r, "spidernet-cpu-" + id + "-" + threadIds.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
    }

    int workers() {
        return workers;
    }

    Scratch scratch(int worker) {
        return scratch[worker];
    }

    /**
     * Runs {@code body} over [0, count). With {@code parallel} false (small work, where a thread
     * hand-off costs more than it saves) or a single worker, everything runs on the caller as
     * worker 0. Returns the number of shares used: workers 0 .. shares-1 ran.
     */
    int forRange(int count, boolean parallel, RangeBody body) {
        if (count <= 0) {
            return 0;
        }
        int shares = parallel ? Math.min(workers, count) : 1;
        if (shares == 1) {
            body.run(0, 0, count);
            return 1;
        }
        List<Future<?>> pending = new ArrayList<>(shares - 1);
        for (int s = 1; s < shares; s++) {
            int worker = s;
            int from = (int) ((long) count * s / shares);
            int to = (int) ((long) count * (s + 1) / shares);
            pending.add(executor.submit(() -> body.run(worker, from, to)));
        }
        Throwable failure = null;
        try {
            body.run(0, 0, (int) ((long) count / shares));
        } catch (Throwable t) {
            failure = t;
        }
        // wait for every share even after a failure, so no worker still writes when we return
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw new IllegalStateException("parallel loop interrupted", failure);
        }
        return shares;
    }

    /** Bytes held in the workers' scratch arrays. */
    long scratchBytes() {
        long b = 0;
        for (Scratch s : scratch) {
            b += s.bytes();
        }
        return b;
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
