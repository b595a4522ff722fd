package org.spidernet.backend;

import java.util.Objects;

/**
 * A step recorded by {@link Backend#capture}: {@link #replay()} performs it once more. On a device
 * backend that is one launch of a graph of the step's kernels; on a host backend it runs the step
 * again. Closing releases the graph; a closed step refuses to replay.
 */
public interface CapturedStep extends AutoCloseable {

    /** Performs the step once (queued on a device backend: read its results after it). */
    void replay();

    @Override
    void close();

    /** The host backends' capture: every replay runs the step's ops again. */
    final class Rerun implements CapturedStep {
        private final Runnable step;
        private boolean closed;

        Rerun(Runnable step) {
            this.step = Objects.requireNonNull(step, "step");
        }

        @Override
        public void replay() {
            if (closed) {
                throw new IllegalStateException("captured step is closed");
            }
            step.run();
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
