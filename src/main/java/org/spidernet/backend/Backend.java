package org.spidernet.backend;

/**
 * The numeric SPI every backend implements: tensor storage and the forward and backward ops the
 * SpiderNet search space needs. The engine core only talks to this interface. The ops are declared
 * by family ({@link ElementwiseOps}, {@link GatedSumOps}, {@link AugmentOps}, {@link SamplePairOps},
 * {@link ConvolutionOps}, {@link BatchNormOps}, {@link PoolingOps}, {@link ConcatOps}, {@link LinearOps},
 * {@link LossOps}, {@link SgdOps}); this interface adds storage, lifecycle and captured steps.
 * {@link OpFamilyBackend} implements the families by delegating to one object per family.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li>Images are NCHW; matrices row-major. Outputs are pre-allocated by the caller (the
 *       execution plan owns every buffer), so a backend never allocates inside an op except
 *       for workspace it reports through {@link #memory()}.</li>
 *   <li><b>Forward ops overwrite</b> their output. <b>Backward ops accumulate</b>: they add into
 *       every gradient tensor they are given ({@code dx}, {@code dw}, ...), so a tensor consumed
 *       in several places gets the sum; the caller zeroes gradients before a backward pass.</li>
 *   <li>Host data crosses the boundary only through {@link #upload}, {@link #download},
 *       {@link #dot}, {@link #dotPerSample}, {@link #gram} and {@link #augment}. The per-step
 *       data of a training step (labels, drop-path factors) is uploaded into tensors before the
 *       step and its results (loss, gate gradients) stay in tensors until read after it, so no op
 *       of a step waits for the host and a device backend can {@link #capture} the step.</li>
 *   <li>Arguments are checked for shape agreement; a mismatch is an
 *       {@link IllegalArgumentException} naming the shapes.</li>
 *   <li>Running out of device memory is a {@link DeviceOutOfMemoryException} from
 *       {@link #allocate}, never an error of another type: the caller can tell it apart, free what
 *       it holds and carry on with something smaller.</li>
 * </ul>
 */
public interface Backend extends StorageOps, ElementwiseOps, GatedSumOps, AugmentOps, SamplePairOps,
        ConvolutionOps, BatchNormOps, PoolingOps, ConcatOps, LinearOps, LossOps, SgdOps, AutoCloseable {

    /** Provider name ({@code reference}, {@code cpu}, {@code cuda}). */
    String name();

    /** Bytes per element: 8 for the float64 reference backend, 4 for float32 backends. */
    int bytesPerElement();

    /** Blocks until queued work is done (no-op for synchronous backends). */
    default void synchronize() {
    }

    /** Releases everything this backend still holds. */
    @Override
    void close();

    // ---------------------------------------------------------------- captured steps

    /**
     * A step ({@code step}: a sequence of this backend's ops on tensors that stay allocated) that
     * {@link CapturedStep#replay()} performs again and again: a device backend records it once as
     * a graph of its kernels and then launches the graph, with no per-op host work. This default
     * (for host backends) simply runs {@code step} on every replay, which is the same numbers.
     *
     * <p>The step must be replayable: every op reads the data that changes between replays from
     * tensors (uploaded before the replay), never from host arrays or host-side branches that the
     * caller changes; it neither allocates, uploads, downloads nor synchronises. What the
     * step's ops depend on on the host (which layers run, scalar arguments) is fixed at capture,
     * so a caller re-captures when it changes. Close the step to release what it holds; replaying
     * a closed step is an {@link IllegalStateException}.
     */
    default CapturedStep capture(Runnable step) {
        return new CapturedStep.Rerun(step);
    }
}
