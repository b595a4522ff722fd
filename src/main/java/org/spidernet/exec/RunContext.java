package org.spidernet.exec;

import org.spidernet.backend.Backend;
import org.spidernet.backend.Tensor;

/**
 * What layers see while a bound network runs: the backend, its tensors and this step's gate state.
 * The per-sample drop-path factors are host state here (the trainer and tests set them) and reach
 * the layers' ops through the plan's {@code gates.path} tensor, uploaded before the step as
 * {@code pathFactor / pathScale}: the ops read no host arrays, so a step can be captured.
 */
final class RunContext {
    final Backend backend;
    final Tensor[] tensors;
    boolean training;
    /** Per gate: is it open this step ([w > 0]). */
    final boolean[] gateOpen;
    /** Per gate and sample: drop-path factor mask[n] / keep (1 where drop-path is off). */
    final double[][] pathFactor;
    /**
     * Per gate: the common factor of its path factors, passed to the ops as a float64 scalar
     * ({@code 1 / keep} while drop-path is on, else 1), so that {@code gates.path} holds only the
     * masks, 0 or 1, which every element type represents exactly.
     */
    final double[] pathScale;
    /** The plan's [gates] buffer that dL/dw of every gate is summed into on the backend. */
    final int gateGrads;
    /** The plan's [gates, batch] buffer of path factors divided by their gate's {@link #pathScale}. */
    final int gatePath;
    /** Per gate: removed by the deletion rule; its op is no longer computed at all. */
    final boolean[] pruned;
    /** The plan's alpha mixing buffers (see {@link ExecutionPlan#mixing}); -1 without alphas. */
    final int mixing;
    final int mixingOnes;
    final int alphaGrads;

    RunContext(Backend backend, Tensor[] tensors, int gates, int batch, ExecutionPlan plan) {
        this.backend = backend;
        this.tensors = tensors;
        this.gateOpen = new boolean[gates];
        this.pathFactor = new double[gates][batch];
        this.pathScale = new double[gates];
        java.util.Arrays.fill(pathScale, 1.0);
        this.gateGrads = plan.gateGrads;
        this.gatePath = plan.gatePath;
        this.pruned = new boolean[gates];
        this.mixing = plan.mixing;
        this.mixingOnes = plan.mixingOnes;
        this.alphaGrads = plan.alphaGrads;
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
