package org.spidernet.exec;

import org.spidernet.backend.Backend;
import org.spidernet.backend.Tensor;

/** What layers see while a bound network runs: the backend, its tensors and this step's gate state. */
final class RunContext {
    final Backend backend;
    final Tensor[] tensors;
    boolean training;
    /** Per gate: is it open this step ([w > 0]). */
    final boolean[] gateOpen;
    /** Per gate and sample: drop-path factor mask[n] / keep (1 where drop-path is off). */
    final double[][] pathFactor;
    /** The plan's [gates] buffer that dL/dw of every gate is summed into on the backend. */
    final int gateGrads;
    /** Per gate: removed by the deletion rule; its op is no longer computed at all. */
    final boolean[] pruned;

    RunContext(Backend backend, Tensor[] tensors, int gates, int batch, int gateGrads) {
        this.backend = backend;
        this.tensors = tensors;
        this.gateOpen = new boolean[gates];
        this.pathFactor = new double[gates][batch];
        this.gateGrads = gateGrads;
        this.pruned = new boolean[gates];
    }

    Tensor t(int id) {
        return id < 0 ? null : tensors[id];
    }

    /** A layer belonging to a closed op gets no gradient: its output was multiplied by 0. */
    boolean backwardActive(int gate) {
        return gate < 0 || gateOpen[gate] && !pruned[gate];
    }

    /** Layers of a pruned op are skipped entirely. */
    boolean forwardActive(int gate) {
        return gate < 0 || !pruned[gate];
    }
}
