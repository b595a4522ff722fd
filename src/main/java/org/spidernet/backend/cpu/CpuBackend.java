package org.spidernet.backend.cpu;

import org.spidernet.backend.Availability;
import org.spidernet.backend.BackendUnavailableException;
import org.spidernet.backend.OpFamilyBackend;
import org.spidernet.backend.TensorLedger;

/**
 * The fast CPU backend: float32 tensors in ND4J native memory.
 *
 * <p>Which engine runs each op was decided by measurement on the network this backend trains
 * (batch 64, 8-32 channels, 28x28, many depthwise convolutions) on two cores:
 * <ul>
 *   <li>ND4J runs copy (a native assign over the tensor as one vector), axpy (BLAS saxpy) and the
 *       dense head's matrix products (BLAS gemm, accumulating with beta = 1 where the contract
 *       accumulates).</li>
 *   <li>Java kernels on this backend's worker threads run everything else: convolution
 *       ({@link DirectConvolution}), pooling ({@link PoolingKernels}), channel concatenation
 *       ({@link ConcatKernels}), batch normalisation
 *       ({@link BatchNormKernels}) and the elementwise and reduction loops
 *       ({@link StreamKernels}, {@link RowKernels}), reading and writing the same native memory through direct
 *       buffers. libnd4j's depthwise and backward convolutions were one to two orders of
 *       magnitude slower at these sizes; each class says why for its ops.</li>
 * </ul>
 *
 * <p>Strict like the reference backend: a tensor from another backend is an
 * {@link IllegalArgumentException}, a closed tensor (or any use after {@link #close()}) an
 * {@link IllegalStateException}, and outside the elementwise ops (fill, copy, axpy,
 * scaleAddPerSample, relu, reluBackward, sgdMomentum) an output must not be one of the inputs.
 *
 * <p>Its {@link OpFamilyBackend} dispatches each op to its family ({@link Elementwise}, {@link SamplePairs},
 * {@link Augment}, {@link Convolution}, {@link BatchNorm}, {@link Pooling}, {@link Concat}, {@link Linear},
 * {@link Loss}, {@link Sgd}), which checks the arguments with the shared rules of
 * {@link org.spidernet.backend.ShapeCheck} and friends and calls the kernels; the tensors live in
 * its {@link Storage}.
 *
 * <p>Not thread-safe: one backend instance belongs to one thread at a time (it runs its own
 * worker threads inside each op).
 */
public final class CpuBackend extends OpFamilyBackend {
    private final WorkerPool pool;
    private final Storage storage;

    /** Opens a backend with one worker per available processor. */
    public CpuBackend() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** Opens a backend with {@code workers} threads for its Java kernels (the caller's thread included). */
    public CpuBackend(int workers) {
        this(workers, TensorLedger.UNLIMITED);
    }

    /**
     * Opens a backend with {@code workers} threads emulating a device of {@code capacityBytes}: an
     * allocation that would take its tensors past it throws
     * {@link org.spidernet.backend.DeviceOutOfMemoryException}.
     */
    public CpuBackend(int workers, long capacityBytes) {
        this(availablePool(workers), capacityBytes);
    }

    private CpuBackend(WorkerPool pool, long capacityBytes) {
        this(pool, new Storage(capacityBytes, pool));
    }

    private CpuBackend(WorkerPool pool, Storage storage) {
        this(pool, storage, new Elementwise(storage, pool));
    }

    private CpuBackend(WorkerPool pool, Storage storage, Elementwise elementwise) {
        super(storage, elementwise, elementwise, new Augment(storage, pool), new SamplePairs(storage, pool),
                new Convolution(storage, pool), new BatchNorm(storage, pool), new Pooling(storage, pool),
                new Concat(storage, pool), new Linear(storage), new Loss(storage), new Sgd(storage, pool));
        this.pool = pool;
        this.storage = storage;
    }

    /** The worker threads, once ND4J's native runtime is known to load. */
    private static WorkerPool availablePool(int workers) {
        Availability a = Nd4jRuntime.availability();
        if (!a.usable()) {
            throw new BackendUnavailableException("cpu backend unavailable: " + a.detail());
        }
        return new WorkerPool(workers);
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int bytesPerElement() {
        return Storage.BYTES_PER_ELEMENT;
    }

    /** Frees every live tensor and stops the worker threads; later use of the backend throws. */
    @Override
    public void close() {
        if (storage.isClosed()) {
            return;
        }
        storage.close();
        pool.close();
    }

    /** Bytes held in the worker threads' scratch arrays (not counted in {@link #memory()}). */
    public long scratchBytes() {
        return pool.scratchBytes();
    }
}
