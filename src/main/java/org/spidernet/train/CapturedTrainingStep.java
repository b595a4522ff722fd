package org.spidernet.train;

import java.util.Objects;
import org.spidernet.backend.Backend;
import org.spidernet.backend.CapturedStep;

/**
 * The training step (forward, loss, backward and SGD update) captured once per key and replayed
 * for every step with that key ({@link Backend#capture}: a CUDA graph on the cuda backend, a plain
 * re-run on the host backends). The key is everything the step's ops take from the host that can
 * change between steps: the network's {@link org.spidernet.exec.StepKey} (mode, open and pruned
 * gates, path scales). The learning rate is not in it: the SGD update reads it from the network's
 * {@code sgd.rate} tensor, uploaded before each step like the labels. A step with another key
 * closes the captured one and captures anew. When capture is off every step runs its ops directly.
 */
final class CapturedTrainingStep implements AutoCloseable {
    private final Backend backend;
    private final boolean enabled;
    private Object key;
    private CapturedStep captured;
    private int captures;

    CapturedTrainingStep(Backend backend, boolean enabled) {
        this.backend = backend;
        this.enabled = enabled;
    }

    /**
     * Performs the step once: replays the captured one when {@code key} is the key it was
     * captured under, else captures {@code step} under {@code key} and replays that. {@code step}
     * must do the same ops for every call with an equal key.
     */
    void run(Object key, Runnable step) {
        Objects.requireNonNull(key, "key");
        if (!enabled) {
            step.run();
            return;
        }
        if (captured == null || !key.equals(this.key)) {
            close();
            captured = backend.capture(step);
            this.key = key;
            captures++;
        }
        captured.replay();
    }

    /** Steps captured so far (a new key each time). */
    int captures() {
        return captures;
    }

    @Override
    public void close() {
        if (captured != null) {
            CapturedStep c = captured;
            captured = null;
            key = null;
            c.close();
        }
    }
}
