package org.spidernet.backend.cuda;

import org.spidernet.backend.CapturedStep;
import org.spidernet.backend.OpFamilyBackend;
import org.spidernet.backend.TensorLedger;

/**
 * The float32 CUDA backend: every SPI op is a kernel of {@code cuda-kernels/} queued on one
 * context's stream, on tensors from that context's stream-ordered memory pool.
 *
 * <p>Its {@link OpFamilyBackend} dispatches to the op families ({@link Convolution}, {@link Pooling}, {@link Concat},
 * {@link BatchNorm}, {@link Elementwise}, {@link GatedSums}, {@link Linear},
 * {@link SoftmaxCrossEntropy}, {@link SgdMomentum}, {@link SamplePairs}, {@link Augment}). Each
 * checks its arguments in Java first (the SPI's shape rules, then {@link KernelLimits}), then calls
 * the C API, whose status becomes a {@link CudaException} naming the call, except that an
 * allocation the device cannot supply is a {@link org.spidernet.backend.DeviceOutOfMemoryException},
 * which the search recovers from. Kernel faults surface at the next call that waits for the
 * stream (a download, {@link #dot}, {@link #dotPerSample}, {@link #gram}, an upload or
 * {@link #synchronize()}); with {@value #SYNCHRONOUS_PROPERTY}{@code =true} every op waits for its
 * own kernels and a fault names it.
 *
 * <p>Host data crosses only where the SPI says so, so a training step can be recorded as a CUDA
 * graph ({@link #capture}, {@link GraphCapture}). {@link #memory()} counts the tensors handed out
 * by {@link #allocate} exactly (the figure execution plans are checked against); the scratch
 * buffers and the pool's own rounding are extra, see {@link #poolUsedBytes()} and
 * {@link #scratchBytes()}. Not thread-safe: one backend belongs to one thread at a time.
 */
public final class CudaBackend extends OpFamilyBackend {
    /** System property that makes every op wait for its kernels ({@code -Dspidernet.cuda.synchronous=true}). */
    public static final String SYNCHRONOUS_PROPERTY = "spidernet.cuda.synchronous";

    private final DeviceSession session;
    private final TensorStorage storage;
    private final GatedSums gatedSums;

    private CudaBackend(DeviceSession session) {
        this(session, session.stream(), session.storage(),
                new GatedSums(session.stream(), session.storage(), session.gatedTables()));
    }

    private CudaBackend(DeviceSession session, DeviceStream stream, TensorStorage storage, GatedSums gatedSums) {
        super(storage, new Elementwise(stream, storage), gatedSums, new Augment(stream, storage, session.staging()),
                new SamplePairs(stream, storage), new Convolution(stream, storage), new BatchNorm(stream, storage),
                new Pooling(stream, storage), new Concat(stream, storage), new Linear(stream, storage), new SoftmaxCrossEntropy(stream, storage),
                new SgdMomentum(stream, storage, session.sgdTable()));
        this.session = session;
        this.storage = storage;
        this.gatedSums = gatedSums;
    }

    /**
     * Opens a backend on the first supported device; throws
     * {@link org.spidernet.backend.BackendUnavailableException} without one. Synchronous mode
     * (for debugging a kernel fault, slow) is on when the system property
     * {@value #SYNCHRONOUS_PROPERTY} is {@code true}.
     */
    public static CudaBackend open() {
        return open(TensorLedger.UNLIMITED);
    }

    /**
     * Opens a backend with its own stream and memory pool on {@code device}. When
     * {@code synchronous}, every op waits for its kernels and a fault names the op.
     */
    public static CudaBackend open(int device, boolean synchronous) {
        return open(device, synchronous, TensorLedger.UNLIMITED);
    }

    /**
     * As {@link #open(int, boolean)}, with the tensors limited to {@code capacityBytes} together
     * (a device smaller than this one, emulated as on the host backends); {@link TensorLedger#UNLIMITED}
     * for the whole device.
     */
    public static CudaBackend open(int device, boolean synchronous, long capacityBytes) {
        return new CudaBackend(DeviceSession.open(device, synchronous, capacityBytes));
    }

    /**
     * {@link #open()} with the tensors limited to {@code capacityBytes} together. On the emulated
     * device the limit is the device's own memory instead (its pool refuses beyond it, as a small
     * GPU's would, so out-of-memory comes from the native allocator), until this backend closes.
     */
    public static CudaBackend open(long capacityBytes) {
        return new CudaBackend(DeviceSession.openFirst(capacityBytes));
    }

    /** "cuda", or "cuda-emulated" where this JVM runs the emulated device. */
    @Override
    public String name() {
        return CudaProbe.result().emulated() ? EmulatedCudaBackendProvider.NAME : "cuda";
    }

    @Override
    public int bytesPerElement() {
        return TensorStorage.BYTES_PER_ELEMENT;
    }

    /** The device this backend runs on. */
    public int device() {
        return session.context().device();
    }

    /** Bytes of the context's pool held by live allocations (tensors, scratch, the pool's rounding); waits for the stream. */
    public long poolUsedBytes() {
        return storage.poolUsedBytes();
    }

    /**
     * The pool's high-water mark of bytes in use (tensors, scratch and the pool's rounding) since
     * the backend was opened or the last reset: the measured peak the execution plan's planned peak
     * is compared with on a device. {@code reset} restarts it from the bytes in use now. Waits for the stream.
     */
    public long poolPeakBytes(boolean reset) {
        return storage.poolPeakBytes(reset);
    }

    /** Bytes held by the scratch buffers (host-argument staging and reduction workspace) and the kernels' tables. */
    public long scratchBytes() {
        return session.scratchBytes();
    }

    @Override
    public void synchronize() {
        session.synchronize();
    }

    /** Frees every tensor still open, the scratch buffers and the context (see {@link DeviceSession}). */
    @Override
    public void close() {
        session.close();
    }

    /** A step recorded as a CUDA graph on its first replay, launched as one afterwards (see {@link CudaCapturedStep}). */
    @Override
    public CapturedStep capture(Runnable step) {
        return session.graphs().capture(step);
    }

    /** The graphs' recording, for tests that record a step without running it. */
    GraphCapture graphs() {
        return session.graphs();
    }

    /** The gated sums, for tests that count their launches or swap the gate-gradient fold. */
    GatedSums gatedSums() {
        return gatedSums;
    }

    /** Fused-update tables copied to the device since the backend was opened (see {@link SgdMomentumTable}). */
    long sgdMomentumTableUploads() {
        return session.sgdTable().uploads();
    }
}
