package org.spidernet.backend.cuda;

import static org.spidernet.backend.cuda.Checks.rank;
import static org.spidernet.backend.cuda.Checks.require;
import static org.spidernet.backend.cuda.Checks.sameShape;
import static org.spidernet.backend.cuda.Checks.sameSize;
import static org.spidernet.backend.cuda.Checks.shape;
import static org.spidernet.backend.cuda.Checks.str;
import static org.spidernet.backend.cuda.Checks.toFloat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.spidernet.backend.AugmentPlan;
import org.spidernet.backend.Backend;
import org.spidernet.backend.CapturedStep;
import org.spidernet.backend.ConvGeometry;
import org.spidernet.backend.MemoryStats;
import org.spidernet.backend.TensorLedger;
import org.spidernet.backend.PoolGeometry;
import org.spidernet.backend.GateGradientArgs;
import org.spidernet.backend.GatedSumArgs;
import org.spidernet.backend.Tensor;

/**
 * The float32 CUDA backend: every SPI op is a kernel of {@code cuda-kernels/} queued on one
 * context's stream, on tensors from that context's stream-ordered memory pool.
 *
 * <p>Each op checks its arguments in Java first (the reference backend's rules and messages),
 * then calls the C API, whose status becomes a {@link CudaException} naming the call, except
 * that an allocation the device cannot supply ({@code cudaErrorMemoryAllocation}) is a
 * {@link org.spidernet.backend.DeviceOutOfMemoryException}, which the search recovers from. Kernel
 * faults surface at the next call that waits for the stream: a download, {@link #dot},
 * {@link #dotPerSample}, {@link #gram}, an upload or {@link #synchronize()}; with
 * {@code -Dspidernet.cuda.synchronous=true} every op waits for its own kernels and a fault names it.
 *
 * <p>Host data crosses only where the SPI says so: the ops of a training step read their per-step
 * data (labels, drop-path masks) from tensors and leave the loss and gate gradients in tensors, so
 * none of them waits for the host, and a step can be recorded as a CUDA graph ({@link #capture}).
 * While a step is being recorded, anything that would wait for the device, copy host memory or
 * allocate (an upload, a download, an allocation, a scratch buffer that must grow, a new SGD
 * table or gated-sum pointer table) is refused with an {@link IllegalStateException} naming it,
 * and a tensor closed meanwhile is freed when the recording ends (see {@link #record}).
 *
 * <p>A node's gated sum runs as the fused kernels of {@code gated_accumulate.cu}: one forward
 * launch and one backward launch per up to {@link CudaNative#MAX_GATED_OPS} ops
 * ({@link #gatedSum}, {@link #gatedSumBackward}), bit-identical to the per-op kernels.
 *
 * <p>{@link #memory()} counts the tensors handed out by {@link #allocate} exactly (the figure
 * execution plans are checked against); the scratch buffers and the pool's own rounding are
 * extra, see {@link #poolUsedBytes()} and {@link #scratchBytes()}. Closing the backend frees every
 * tensor still open, then the scratch buffers, then the context (stream and pool). Not
 * thread-safe: one backend belongs to one thread at a time.
 */
public final class CudaBackend implements Backend {
    private static final int BYTES_PER_ELEMENT = Float.BYTES;

    /** System property that makes every op wait for its kernels ({@code -Dspidernet.cuda.synchronous=true}). */
    public static final String SYNCHRONOUS_PROPERTY = "spidernet.cuda.synchronous";

    private final CudaContext context;
    private final boolean synchronous;
    /** Stages the host arguments of {@link #augment} (never used inside a captured step). */
    private final Scratch staging;
    /** Reduction workspace; a captured step's kernels point into it. */
    private final Scratch reductions;
    private final SgdMomentumTable sgdTable;
    /** Device pointer tables of the fused gated sums, kept between calls. */
    private final GatedAccumulate.PointerTables gatedTables;
    /** Folds the fused backward's dots into the gate gradients; null: one snc_gate_gradient per op. */
    private GatedAccumulate.GateGradientFold gateGradientFold = GatedAccumulate.NATIVE_FOLD;
    /** Buffers of tensors closed while a step was being recorded, freed when the recording ends. */
    private final List<DeviceBuffer> deferredFrees = new ArrayList<>();
    /** Launches issued from Java (a recorded step's replays not counted), for tests. */
    private long gatedSumForwardLaunches;
    private long gatedSumBackwardLaunches;
    private long scaleAddPerSampleLaunches;
    private long gateGradientLaunches;
    private final TensorLedger<CudaTensor> ledger;
    /** Captured steps not closed yet: their graphs are released before the context. */
    private final List<CudaCapturedStep> capturedSteps = new ArrayList<>();
    /** The emulated device's memory before this backend limited it (restored at close), or 0. */
    private long emulatedMemoryToRestore;
    /** True while a step is being recorded into a graph. */
    private boolean capturing;
    private boolean closed;

    private CudaBackend(CudaContext context, boolean synchronous, long capacityBytes) {
        this.ledger = new TensorLedger<>("cuda", BYTES_PER_ELEMENT, capacityBytes);
        this.context = context;
        this.synchronous = synchronous;
        this.staging = new Scratch(context, "augment staging");
        this.reductions = new Scratch(context, "reduction");
        this.sgdTable = new SgdMomentumTable(context);
        this.gatedTables = new GatedAccumulate.PointerTables(context);
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
        if (capacityBytes <= 0) {
            throw new IllegalArgumentException("cuda: device capacity must be > 0 bytes, got " + capacityBytes);
        }
        return new CudaBackend(CudaContext.open(device), synchronous, capacityBytes);
    }

    /**
     * {@link #open()} with the tensors limited to {@code capacityBytes} together. On the emulated
     * device the limit is the device's own memory instead (its pool refuses beyond it, as a small
     * GPU's would, so out-of-memory comes from the native allocator), until this backend closes.
     */
    public static CudaBackend open(long capacityBytes) {
        CudaProbe.Result probe = CudaProbe.result();
        if (!probe.availability().usable()) {
            throw new org.spidernet.backend.BackendUnavailableException("CUDA backend unavailable: "
                    + probe.availability().detail());
        }
        int device = probe.devices().stream().filter(CudaDeviceInfo::supported).findFirst().orElseThrow().index();
        boolean synchronous = Boolean.getBoolean(SYNCHRONOUS_PROPERTY);
        if (probe.emulated() && capacityBytes != TensorLedger.UNLIMITED
                && CudaNative.emulatedSetMemory(capacityBytes) == 0) {
            CudaBackend backend = open(device, synchronous, TensorLedger.UNLIMITED);
            backend.emulatedMemoryToRestore = probe.devices().get(device).totalMemoryBytes();
            return backend;
        }
        return open(device, synchronous, capacityBytes);
    }

    /** "cuda", or "cuda-emulated" where this JVM runs the emulated device. */
    @Override
    public String name() {
        return CudaProbe.result().emulated() ? EmulatedCudaBackendProvider.NAME : "cuda";
    }

    @Override
    public int bytesPerElement() {
        return BYTES_PER_ELEMENT;
    }

    /** The device this backend runs on. */
    public int device() {
        return context.device();
    }

    // ---------------------------------------------------------------- storage

    @Override
    public Tensor allocate(int... shape) {
        Objects.requireNonNull(shape, "shape");
        ensureOpen();
        notCapturing("allocate");
        long size = Tensor.elementCount(shape);
        // downloads return a Java array, so a tensor must fit one
        require(size <= Integer.MAX_VALUE - 8, "allocate: shape " + Arrays.toString(shape) + " has " + size
                + " elements, more than a Java array holds");
        long bytes = size * BYTES_PER_ELEMENT;
        // both checks come before the ledger records anything, so a refused tensor leaves it as it was
        ledger.admit(size);
        DeviceBuffer buffer = context.allocate(bytes);
        try {
            buffer.zero();
        } catch (RuntimeException e) {
            buffer.close();
            throw e;
        }
        CudaTensor t = new CudaTensor(this, shape.clone(), size, buffer);
        ledger.allocated(t);
        return t;
    }

    /** Called by {@link CudaTensor#close()} once per tensor, before its memory is freed. */
    void released(CudaTensor t) {
        ledger.released(t);
    }

    /**
     * Frees a closed tensor's memory, or, while a step is being recorded, keeps it until the
     * recording ends: a stream-ordered free of memory allocated outside the capture would be
     * recorded into (and invalidate) the graph. See {@link #record} for what happens then.
     */
    void free(DeviceBuffer buffer) {
        if (capturing) {
            deferredFrees.add(buffer);
        } else {
            buffer.close();
        }
    }

    /** Frees what {@link #free} kept during a recording; returns how many buffers that was. */
    private int releaseDeferredFrees() {
        List<DeviceBuffer> freeing = List.copyOf(deferredFrees);
        deferredFrees.clear();
        RuntimeException first = null;
        for (DeviceBuffer b : freeing) {
            try {
                b.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
        return freeing.size();
    }

    @Override
    public void upload(Tensor dst, double[] data) {
        Objects.requireNonNull(data, "data");
        CudaTensor d = tensor(dst, "upload", "dst");
        notCapturing("upload");
        require(data.length == d.size(), "upload: data has length " + data.length + ", dst has shape " + str(d.shape()));
        float[] values = new float[data.length];
        for (int i = 0; i < data.length; i++) {
            values[i] = (float) data[i];
        }
        d.buffer().upload(values);
    }

    @Override
    public void upload(Tensor dst, float[] data) {
        Objects.requireNonNull(data, "data");
        CudaTensor d = tensor(dst, "upload", "dst");
        notCapturing("upload");
        require(data.length == d.size(), "upload: data has length " + data.length + ", dst has shape " + str(d.shape()));
        d.buffer().upload(data);
    }

    @Override
    public double[] download(Tensor src) {
        CudaTensor s = tensor(src, "download", "src");
        notCapturing("download");
        float[] values = s.buffer().downloadFloats();
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    @Override
    public MemoryStats memory() {
        return ledger.stats();
    }

    @Override
    public void resetPeak() {
        ledger.resetPeak();
    }

    /** Bytes of the context's pool held by live allocations (tensors, scratch, the pool's rounding); waits for the stream. */
    public long poolUsedBytes() {
        ensureOpen();
        notCapturing("poolUsedBytes");
        context.synchronize();
        return context.poolUsedBytes();
    }

    /**
     * The pool's high-water mark of bytes in use (tensors, scratch and the pool's rounding) since
     * the backend was opened or the last reset: the measured peak the execution plan's planned peak
     * is compared with on a device. {@code reset} restarts it from the bytes in use now. Waits for the stream.
     */
    public long poolPeakBytes(boolean reset) {
        ensureOpen();
        notCapturing("poolPeakBytes");
        return context.poolHighWaterBytes(reset);
    }

    /** Bytes held by the scratch buffers (host-argument staging and reduction workspace). */
    public long scratchBytes() {
        return staging.bytes() + reductions.bytes() + sgdTable.bytes() + gatedTables.bytes();
    }

    @Override
    public void synchronize() {
        ensureOpen();
        notCapturing("synchronize");
        context.synchronize();
    }

    /**
     * Frees every tensor still open, the scratch buffers and the context. The first failure is
     * rethrown after everything has been released (a context is closed once).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (capturing) {
            capturing = false;
            CudaNative.captureAbort(handle());  // best effort: the context is released below anyway
        }
        closed = true;
        RuntimeException first = null;
        List<CudaTensor> open = ledger.drain();
        List<AutoCloseable> resources = new ArrayList<>(open);
        resources.addAll(List.copyOf(deferredFrees));
        deferredFrees.clear();
        resources.addAll(List.copyOf(capturedSteps));
        resources.addAll(List.of(staging, reductions, sgdTable, gatedTables));
        for (AutoCloseable r : resources) {
            try {
                if (r instanceof CudaTensor t) {
                    t.invalidate();
                } else {
                    r.close();
                }
            } catch (Exception e) {
                if (first == null) {
                    first = e instanceof RuntimeException re ? re : new IllegalStateException(e);
                }
            }
        }
        try {
            context.close();
        } catch (RuntimeException e) {
            if (first == null) {
                first = e;
            }
        }
        if (emulatedMemoryToRestore > 0) {
            CudaNative.emulatedSetMemory(emulatedMemoryToRestore);  // the device's own size, for the next backend
        }
        if (first != null) {
            throw first;
        }
    }

    // ---------------------------------------------------------------- elementwise and reductions

    @Override
    public void fill(Tensor t, double value) {
        CudaTensor d = tensor(t, "fill", "t");
        check(CudaNative.fill(handle(), d.pointer(), (float) value, d.size()), "snc_fill");
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        CudaTensor s = tensor(src, "copy", "src");
        CudaTensor d = tensor(dst, "copy", "dst");
        sameSize("copy", "src", s.shape(), "dst", d.shape());
        check(CudaNative.copy(handle(), s.pointer(), d.pointer(), d.size()), "snc_copy");
    }

    @Override
    public void copyInto(Tensor src, Tensor dst, long offset) {
        CudaTensor s = tensor(src, "copyInto", "src");
        CudaTensor d = tensor(dst, "copyInto", "dst");
        distinct("copyInto", "dst", dst, "src", src);
        require(offset >= 0 && offset + s.size() <= d.size(), "copyInto: src " + str(s.shape()) + " at offset " + offset
                + " does not fit in dst " + str(d.shape()));
        if (s.size() == 0) {
            return;
        }
        // a device-to-device copy into dst's buffer at the element offset (snc_copy is a cudaMemcpyAsync)
        check(CudaNative.copy(handle(), s.pointer(), d.pointer() + offset * BYTES_PER_ELEMENT, s.size()), "snc_copy");
    }

    @Override
    public void axpy(double alpha, Tensor x, Tensor y) {
        CudaTensor xs = tensor(x, "axpy", "x");
        CudaTensor ys = tensor(y, "axpy", "y");
        sameSize("axpy", "x", xs.shape(), "y", ys.shape());
        check(CudaNative.axpy(handle(), (float) alpha, xs.pointer(), ys.pointer(), ys.size()), "snc_axpy");
    }

    @Override
    public double dot(Tensor a, Tensor b) {
        CudaTensor as = tensor(a, "dot", "a");
        CudaTensor bs = tensor(b, "dot", "b");
        sameSize("dot", "a", as.shape(), "b", bs.shape());
        if (as.size() == 0) {
            return 0.0;
        }
        return perSampleDots(as, bs, 1, as.size())[0];
    }

    @Override
    public double[] dotPerSample(Tensor a, Tensor b) {
        CudaTensor as = tensor(a, "dotPerSample", "a");
        CudaTensor bs = tensor(b, "dotPerSample", "b");
        sameShape("dotPerSample", "a", as.shape(), "b", bs.shape());
        require(as.shape().length >= 1, "dotPerSample: a and b need a sample dimension, got shape " + str(as.shape()));
        int samples = Checks.samples("dotPerSample", "a", as.shape());
        if (samples == 0) {
            return new double[0];
        }
        return perSampleDots(as, bs, samples, as.size() / samples);
    }

    @Override
    public void gateGradient(Tensor dy, Tensor x, Tensor factors, double scale, Tensor gateGrads, int gate) {
        String op = "gateGradient";
        CudaTensor dys = tensor(dy, op, "dy");
        CudaTensor xs = tensor(x, op, "x");
        CudaTensor fs = tensor(factors, op, "factors");
        CudaTensor gs = tensor(gateGrads, op, "gateGrads");
        sameShape(op, "dy", dys.shape(), "x", xs.shape());
        require(dys.shape().length >= 1, op + ": dy and x need a sample dimension, got shape " + str(dys.shape()));
        GateGradientArgs.check(op, dy, factors, gateGrads, gate);
        int samples = Checks.samples(op, "dy", dys.shape());
        if (samples == 0) {
            return;
        }
        long perSample = dys.size() / samples;
        long workspaceBytes = CudaNative.dotPerSampleWorkspaceBytes(samples, perSample);
        long base = workspace(op, workspaceBytes + (long) samples * Double.BYTES);
        gateGradient(dys, xs, fs, scale, gs, gate, samples, perSample, base);
    }

    /**
     * One gate's gradient on the device with workspace at {@code base} (the dot kernels' partials,
     * then {@code samples} doubles of dots). Empty samples (perSample 0) pass their tensors' real
     * addresses (every tensor has one, see {@code snc_alloc}): the dots are 0 and the gate gets 0 added.
     */
    private void gateGradient(CudaTensor dy, CudaTensor x, CudaTensor factors, double scale, CudaTensor gateGrads,
                              int gate, int samples, long perSample, long base) {
        long workspaceBytes = CudaNative.dotPerSampleWorkspaceBytes(samples, perSample);
        long row = factors.pointer() + (long) gate * samples * Float.BYTES;
        // no wait: the factors are a row of a device tensor, the total stays on the device
        check(CudaNative.gateGradient(handle(), dy.pointer(), x.pointer(), samples, perSample, base, workspaceBytes,
                base + workspaceBytes, row, (float) scale, gateGrads.pointer(), gate), "snc_gate_gradient");
        gateGradientLaunches++;
    }

    /** float64 dot products of each sample's slice; the one place these two ops wait for the device. */
    private double[] perSampleDots(CudaTensor a, CudaTensor b, int samples, long perSample) {
        long workspaceBytes = CudaNative.dotPerSampleWorkspaceBytes(samples, perSample);
        long outBytes = (long) samples * Double.BYTES;
        notCapturing("dotPerSample");
        long base = reductions.pointer(workspaceBytes + outBytes);
        long out = base + workspaceBytes;  // workspace is whole doubles, so out stays 8-byte aligned
        check(CudaNative.dotPerSample(handle(), a.pointer(), b.pointer(), samples, perSample, base, workspaceBytes, out),
                "snc_dot_per_sample");
        double[] result = new double[samples];
        check(CudaNative.copyToHost(handle(), result, out, outBytes), "snc_copy_to_host (dot products)");
        return result;
    }

    @Override
    public void signAgreement(Tensor x, Tensor k) {
        String op = "signAgreement";
        CudaTensor xs = tensor(x, op, "x");
        CudaTensor ks = tensor(k, op, "k");
        int n = Checks.pairs(op, xs.shape(), "k", ks.shape());
        distinct(op, "k", k, "x", x);
        if (n == 0) {
            return;
        }
        long perSample = xs.size() / n;
        long workspaceBytes = CudaNative.signAgreementWorkspaceBytes(n, perSample);
        long workspace = workspaceBytes == 0 ? 0L : workspace(op, workspaceBytes);
        check(CudaNative.signAgreement(handle(), xs.pointer(), n, perSample, ks.pointer(),
                workspace, workspaceBytes), "snc_sign_agreement");
    }

    @Override
    public double[] gram(Tensor a) {
        String op = "gram";
        CudaTensor as = tensor(a, op, "a");
        int n = Checks.pairs(op, as.shape(), null, null);
        if (n == 0) {
            return new double[0];
        }
        long perSample = as.size() / n;
        notCapturing(op);
        long outBytes = (long) n * n * Double.BYTES;
        long workspaceBytes = CudaNative.gramWorkspaceBytes(n, perSample);
        long base = reductions.pointer(workspaceBytes + outBytes);
        long out = base + workspaceBytes;  // workspace is whole doubles, so out stays 8-byte aligned
        check(CudaNative.gram(handle(), as.pointer(), n, perSample, base, workspaceBytes, out),
                "snc_gram");
        double[] result = new double[n * n];
        check(CudaNative.copyToHost(handle(), result, out, outBytes), "snc_copy_to_host (Gram matrix)");
        return result;
    }

    @Override
    public void scaleAddPerSample(Tensor x, Tensor factors, int row, double scale, Tensor y) {
        String op = "scaleAddPerSample";
        CudaTensor xs = tensor(x, op, "x");
        CudaTensor ys = tensor(y, op, "y");
        CudaTensor fs = tensor(factors, op, "factors");
        sameShape(op, "x", xs.shape(), "y", ys.shape());
        GateGradientArgs.checkFactors(op, factors, row, ys.shape());
        int samples = Checks.samples(op, "y", ys.shape());
        if (samples == 0 || ys.size() == 0) {
            return;
        }
        // the factors are read on the device: nothing from the host rides in the launch but the scale
        long factorRow = fs.pointer() + (long) row * samples * Float.BYTES;
        check(CudaNative.scaleAddPerSample(handle(), xs.pointer(), factorRow, (float) scale, ys.pointer(), samples,
                ys.size() / samples), "snc_scale_add_per_sample");
        scaleAddPerSampleLaunches++;
    }

    /**
     * One {@code snc_gated_sum_forward} launch per {@link CudaNative#MAX_GATED_OPS} ops: y is read
     * and written once for all of them, each element's float32 FMAs in op order, the same bits as
     * one {@link #scaleAddPerSample} per op. The x addresses reach the kernel in a cached device
     * table ({@link GatedAccumulate.PointerTables}); the per-op factors in a [ops, samples] table
     * (see {@link #gatedFactors}).
     */
    @Override
    public void gatedSum(List<Tensor> xs, Tensor factors, int[] rows, double[] scales, Tensor y) {
        String op = "gatedSum";
        int ops = GatedSumArgs.checkForward(op, xs, factors, rows, scales, y);
        CudaTensor ys = tensor(y, op, "y");
        CudaTensor fs = tensor(factors, op, "factors");
        CudaTensor[] x = new CudaTensor[ops];
        for (int j = 0; j < ops; j++) {
            x[j] = tensor(xs.get(j), op, "xs[" + j + "]");
        }
        int samples = Checks.samples(op, "y", ys.shape());
        if (ops == 0 || samples == 0 || ys.size() == 0) {
            return;
        }
        long perSample = ys.size() / samples;
        for (int from = 0; from < ops; from += CudaNative.MAX_GATED_OPS) {
            int count = Math.min(CudaNative.MAX_GATED_OPS, ops - from);
            long[] addresses = new long[count];
            for (int j = 0; j < count; j++) {
                addresses[j] = x[from + j].pointer();
            }
            long table = gatedTables.pointer(addresses, capturing, op);
            long scratch = gatedFactorsDirect(rows, scales, from, count) ? 0L
                    : workspace(op, (long) count * samples * Float.BYTES);
            long scale = gatedFactors(fs, rows, scales, from, count, samples, scratch);
            check(CudaNative.gatedSumForward(handle(), table, scale, ys.pointer(), count, samples, perSample),
                    "snc_gated_sum_forward");
            gatedSumForwardLaunches++;
        }
    }

    /**
     * One {@code snc_gated_sum_backward} launch per {@link CudaNative#MAX_GATED_OPS} ops, reading dy
     * once: every op with a gradient gets {@code dx += f * dy} (float32 FMAs, the same bits as
     * {@link #scaleAddPerSample}), every op its per-sample dot in float64 (the same bits as the dot
     * kernels of {@link #gateGradient}, same blocks and order). The dots are folded into the gate
     * gradients by the native fold in one launch ({@link GatedAccumulate#NATIVE_FOLD}); while the C
     * API lacks it, each gate is folded by {@code snc_gate_gradient}, which forms its dot again.
     */
    @Override
    public void gatedSumBackward(Tensor dy, List<Tensor> xs, Tensor factors, int[] gates, double[] scales,
                                 List<Tensor> dxs, Tensor gateGrads) {
        String op = "gatedSumBackward";
        int ops = GatedSumArgs.checkBackward(op, dy, xs, factors, gates, scales, dxs, gateGrads);
        CudaTensor dys = tensor(dy, op, "dy");
        CudaTensor fs = tensor(factors, op, "factors");
        CudaTensor gs = tensor(gateGrads, op, "gateGrads");
        CudaTensor[] x = new CudaTensor[ops];
        CudaTensor[] dx = new CudaTensor[ops];
        for (int j = 0; j < ops; j++) {
            x[j] = tensor(xs.get(j), op, "xs[" + j + "]");
            dx[j] = dxs.get(j) == null ? null : tensor(dxs.get(j), op, "dxs[" + j + "]");
        }
        int samples = Checks.samples(op, "dy", dys.shape());
        if (ops == 0 || samples == 0) {
            return;
        }
        long perSample = dys.size() / samples;
        GatedAccumulate.GateGradientFold fold = gateGradientFold;
        for (int from = 0; from < ops; from += CudaNative.MAX_GATED_OPS) {
            int count = Math.min(CudaNative.MAX_GATED_OPS, ops - from);
            long[] addresses = new long[2 * count];  // the x table, then the dx table (0: no gradient)
            for (int j = 0; j < count; j++) {
                addresses[j] = x[from + j].pointer();
                addresses[count + j] = dx[from + j] == null ? 0L : dx[from + j].pointer();
            }
            long table = gatedTables.pointer(addresses, capturing, op);
            // scratch: the kernel's partials, the dots [count, samples] (float64, aligned after whole
            // doubles), then the factors table; the per-gate fold reuses it from the start afterwards
            long partialBytes = CudaNative.gatedSumBackwardWorkspaceBytes(count, samples, perSample);
            long dotsBytes = (long) count * samples * Double.BYTES;
            boolean direct = gatedFactorsDirect(gates, scales, from, count);
            long factorBytes = direct ? 0L : (long) count * samples * Float.BYTES;
            long foldBytes = fold != null ? 0L
                    : CudaNative.dotPerSampleWorkspaceBytes(samples, perSample) + (long) samples * Double.BYTES;
            long base = workspace(op, Math.max(partialBytes + dotsBytes + factorBytes, foldBytes));
            long dots = base + partialBytes;
            long scale = gatedFactors(fs, gates, scales, from, count, samples, direct ? 0L : dots + dotsBytes);
            check(CudaNative.gatedSumBackward(handle(), dys.pointer(), table, scale, table + (long) count * Long.BYTES,
                    count, samples, perSample, base, partialBytes, dots), "snc_gated_sum_backward");
            gatedSumBackwardLaunches++;
            if (fold != null) {
                int[] rows = Arrays.copyOfRange(gates, from, from + count);
                float[] multipliers = new float[count];
                for (int j = 0; j < count; j++) {
                    multipliers[j] = (float) scales[from + j];
                }
                check(fold.fold(handle(), dots, fs.pointer(), samples, rows, multipliers, rows, count, gs.pointer()),
                        "snc_gate_gradient_fold");
            } else {
                for (int j = from; j < from + count; j++) {
                    gateGradient(dys, x[j], fs, scales[j], gs, gates[j], samples, perSample, base);
                }
            }
        }
    }

    /**
     * True when ops {@code from .. from + count - 1} read consecutive rows of the factors with a
     * float32 scale of exactly 1 (drop-path off, every op of a node open): the kernel's [ops,
     * samples] factor table is then a slice of {@code factors} itself.
     */
    private static boolean gatedFactorsDirect(int[] rows, double[] scales, int from, int count) {
        for (int j = 0; j < count; j++) {
            if ((float) scales[from + j] != 1.0f || rows[from + j] != rows[from] + j) {
                return false;
            }
        }
        return true;
    }

    /**
     * The device address of the fused kernels' [count, samples] float32 factor table for ops
     * {@code from ..}: {@code f[j, n] = (float) scales[from + j] * factors[rows[from + j], n]}, the
     * float32 product {@code snc_scale_add_per_sample} forms from its multiplier and factor row, so
     * the fused result is the per-op result bit for bit. Either a slice of {@code factors}
     * ({@link #gatedFactorsDirect}) or built at {@code scratch} on the stream: filled with -0.0
     * (so that {@code fmaf(s, f, -0.0)} is exactly the product {@code s * f}, zeros' signs
     * included), then one {@code snc_axpy} per op.
     */
    private long gatedFactors(CudaTensor factors, int[] rows, double[] scales, int from, int count, int samples,
                              long scratch) {
        if (gatedFactorsDirect(rows, scales, from, count)) {
            return factors.pointer() + (long) rows[from] * samples * Float.BYTES;
        }
        check(CudaNative.fill(handle(), scratch, -0.0f, (long) count * samples), "snc_fill (gated-sum factors)");
        for (int j = 0; j < count; j++) {
            long row = factors.pointer() + (long) rows[from + j] * samples * Float.BYTES;
            check(CudaNative.axpy(handle(), (float) scales[from + j], row, scratch + (long) j * samples * Float.BYTES,
                    samples), "snc_axpy (gated-sum factors)");
        }
        return scratch;
    }

    @Override
    public void relu(Tensor x, Tensor y) {
        CudaTensor xs = tensor(x, "relu", "x");
        CudaTensor ys = tensor(y, "relu", "y");
        sameShape("relu", "x", xs.shape(), "y", ys.shape());
        check(CudaNative.reluForward(handle(), xs.pointer(), ys.pointer(), ys.size()), "snc_relu_forward");
    }

    @Override
    public void reluBackward(Tensor x, Tensor dy, Tensor dx) {
        String op = "reluBackward";
        CudaTensor xs = tensor(x, op, "x");
        CudaTensor dys = tensor(dy, op, "dy");
        CudaTensor dxs = tensor(dx, op, "dx");
        sameShape(op, "x", xs.shape(), "dy", dys.shape());
        sameShape(op, "x", xs.shape(), "dx", dxs.shape());
        check(CudaNative.reluBackward(handle(), xs.pointer(), dys.pointer(), dxs.pointer(), dxs.size()),
                "snc_relu_backward");
    }

    @Override
    public void augment(byte[] raw, Tensor out, AugmentPlan plan) {
        String op = "augment";
        Objects.requireNonNull(raw, "augment: raw is null");
        Objects.requireNonNull(plan, "augment: plan is null");
        CudaTensor os = tensor(out, op, "out");
        notCapturing(op);
        int[] s = os.shape();
        plan.check(op, raw, s);
        int channels = plan.channels();
        require(channels <= CudaNative.AUGMENT_MAX_CHANNELS, op + ": out " + str(s) + " has " + channels
                + " channels, this backend normalises at most " + CudaNative.AUGMENT_MAX_CHANNELS);
        if (os.size() == 0) {
            return;
        }
        int samples = plan.samples();
        // one upload per batch: the plan's ints (little-endian, as the device reads them), then the pixels
        int paramBytes = samples * CudaNative.AUGMENT_SAMPLE_INTS * Integer.BYTES;
        long pixels = (long) samples * (os.size() / s[0]);
        require(paramBytes + pixels <= Integer.MAX_VALUE - 8, op + ": " + samples + " images of out " + str(s)
                + " are too many bytes for one host array");
        byte[] staged = new byte[(int) (paramBytes + pixels)];
        ByteBuffer params = ByteBuffer.wrap(staged).order(ByteOrder.LITTLE_ENDIAN);
        for (int n = 0; n < samples; n++) {
            params.putInt(plan.cropY(n)).putInt(plan.cropX(n)).putInt(plan.flip(n) ? 1 : 0)
                    .putInt(plan.cutoutY(n)).putInt(plan.cutoutX(n));
        }
        System.arraycopy(raw, 0, staged, paramBytes, (int) pixels);
        double[] mean = new double[channels];
        double[] scale = new double[channels];
        for (int c = 0; c < channels; c++) {
            mean[c] = plan.mean(c);
            scale[c] = plan.scale(c);
        }
        long device = 0L;
        if (samples > 0) {
            // one stream orders this copy after the last reader of the staging buffer
            device = staging.pointer(staged.length);
            check(CudaNative.copyToDevice(handle(), device, staged, staged.length),
                    "snc_copy_to_device (augment plan and pixels)");
        }
        check(CudaNative.augment(handle(), device == 0L ? 0L : device + paramBytes, os.pointer(), s[0], s[1], s[2],
                s[3], samples, device, mean, scale, plan.padding(), plan.cutout()), "snc_augment");
    }

    // ---------------------------------------------------------------- convolution

    @Override
    public void conv2d(Tensor x, Tensor w, Tensor y, ConvGeometry g) {
        String op = "conv2d";
        CudaTensor xs = tensor(x, op, "x");
        CudaTensor ws = tensor(w, op, "w");
        CudaTensor ys = tensor(y, op, "y");
        ConvExtents e = ConvExtents.of(op, "x", xs.shape(), ws.shape(), "y", ys.shape(), g);
        distinct(op, "y", y, "x", x);
        distinct(op, "y", y, "w", w);
        if (e.degenerate()) {
            fill(y, 0.0);
            return;
        }
        check(CudaNative.conv2dForward(handle(), e.toArray(), xs.pointer(), ws.pointer(), ys.pointer()),
                "snc_conv2d_forward");
    }

    @Override
    public void conv2dBackwardData(Tensor dy, Tensor w, Tensor dx, ConvGeometry g) {
        String op = "conv2dBackwardData";
        CudaTensor dys = tensor(dy, op, "dy");
        CudaTensor ws = tensor(w, op, "w");
        CudaTensor dxs = tensor(dx, op, "dx");
        ConvExtents e = ConvExtents.of(op, "dx", dxs.shape(), ws.shape(), "dy", dys.shape(), g);
        distinct(op, "dx", dx, "dy", dy);
        distinct(op, "dx", dx, "w", w);
        if (e.degenerate()) {
            return;
        }
        check(CudaNative.conv2dBackwardData(handle(), e.toArray(), dys.pointer(), ws.pointer(), dxs.pointer()),
                "snc_conv2d_backward_data");
    }

    @Override
    public void conv2dBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvGeometry g) {
        String op = "conv2dBackwardFilter";
        CudaTensor xs = tensor(x, op, "x");
        CudaTensor dys = tensor(dy, op, "dy");
        CudaTensor dws = tensor(dw, op, "dw");
        ConvExtents e = ConvExtents.of(op, "x", xs.shape(), dws.shape(), "dy", dys.shape(), g);
        distinct(op, "dw", dw, "x", x);
        distinct(op, "dw", dw, "dy", dy);
        if (e.degenerate()) {
            return;
        }
        check(CudaNative.conv2dBackwardFilter(handle(), e.toArray(), xs.pointer(), dys.pointer(), dws.pointer()),
                "snc_conv2d_backward_filter");
    }

    // ---------------------------------------------------------------- batch normalisation

    @Override
    public void batchNormTrain(Tensor x, Tensor gamma, Tensor beta, Tensor y, Tensor saveMean, Tensor saveInvStd,
                               Tensor runMean, Tensor runVar, double momentum, double eps) {
        String op = "batchNormTrain";
        CudaTensor xs = tensor(x, op, "x");
        CudaTensor ys = tensor(y, op, "y");
        rank(op, "x", xs.shape(), 4);
        sameShape(op, "x", xs.shape(), "y", ys.shape());
        int[] s = xs.shape();
        int channels = s[1];
        CudaTensor gs = perChannel(op, "gamma", gamma, channels);
        CudaTensor bs = perChannel(op, "beta", beta, channels);
        CudaTensor ms = perChannel(op, "saveMean", saveMean, channels);
        CudaTensor is = perChannel(op, "saveInvStd", saveInvStd, channels);
        CudaTensor rm = perChannel(op, "runMean", runMean, channels);
        CudaTensor rv = perChannel(op, "runVar", runVar, channels);
        long plane = (long) s[2] * s[3];
        require((long) s[0] * plane >= 2, op + ": needs at least 2 values per channel, x has shape " + str(s));
        require(eps > 0, op + ": eps must be positive, got " + eps);
        require(momentum >= 0 && momentum <= 1, op + ": momentum must be in [0, 1], got " + momentum);
        require((float) eps > 0, op + ": eps " + eps + " rounds to 0 in float32");
        for (Tensor out : new Tensor[] {y, saveMean, saveInvStd, runMean, runVar}) {
            distinct(op, "an output", out, "x", x);
            distinct(op, "an output", out, "gamma", gamma);
            distinct(op, "an output", out, "beta", beta);
        }
        if (channels == 0) {
            return;
        }
        check(CudaNative.batchNormTrain(handle(), xs.pointer(), gs.pointer(), bs.pointer(), ys.pointer(), ms.pointer(),
                is.pointer(), rm.pointer(), rv.pointer(), s[0], channels, plane, (float) momentum, (float) eps),
                "snc_batch_norm_train");
    }

    @Override
    public void batchNormEval(Tensor x, Tensor gamma, Tensor beta, Tensor runMean, Tensor runVar, Tensor y,
                              double eps) {
        String op = "batchNormEval";
        CudaTensor xs = tensor(x, op, "x");
        CudaTensor ys = tensor(y, op, "y");
        rank(op, "x", xs.shape(), 4);
        sameShape(op, "x", xs.shape(), "y", ys.shape());
        int[] s = xs.shape();
        int channels = s[1];
        CudaTensor gs = perChannel(op, "gamma", gamma, channels);
        CudaTensor bs = perChannel(op, "beta", beta, channels);
        CudaTensor rm = perChannel(op, "runMean", runMean, channels);
        CudaTensor rv = perChannel(op, "runVar", runVar, channels);
        require(eps > 0 && (float) eps > 0, op + ": eps must be positive in float32, got " + eps);
        distinct(op, "y", y, "x", x);
        if (xs.size() == 0) {
            return;
        }
        check(CudaNative.batchNormEval(handle(), xs.pointer(), gs.pointer(), bs.pointer(), rm.pointer(), rv.pointer(),
                ys.pointer(), s[0], channels, (long) s[2] * s[3], (float) eps), "snc_batch_norm_eval");
    }

    @Override
    public void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
                                  Tensor dx, Tensor dGamma, Tensor dBeta) {
        String op = "batchNormBackward";
        CudaTensor xs = tensor(x, op, "x");
        CudaTensor dys = tensor(dy, op, "dy");
        CudaTensor dxs = tensor(dx, op, "dx");
        rank(op, "x", xs.shape(), 4);
        sameShape(op, "x", xs.shape(), "dy", dys.shape());
        sameShape(op, "x", xs.shape(), "dx", dxs.shape());
        int[] s = xs.shape();
        int channels = s[1];
        CudaTensor gs = perChannel(op, "gamma", gamma, channels);
        CudaTensor ms = perChannel(op, "saveMean", saveMean, channels);
        CudaTensor is = perChannel(op, "saveInvStd", saveInvStd, channels);
        CudaTensor dgs = perChannel(op, "dGamma", dGamma, channels);
        CudaTensor dbs = perChannel(op, "dBeta", dBeta, channels);
        distinct(op, "dx", dx, "x", x);
        distinct(op, "dx", dx, "dy", dy);
        distinct(op, "dGamma", dGamma, "dBeta", dBeta);
        if (xs.size() == 0) {
            return;
        }
        check(CudaNative.batchNormBackward(handle(), xs.pointer(), dys.pointer(), gs.pointer(), ms.pointer(),
                is.pointer(), dxs.pointer(), dgs.pointer(), dbs.pointer(), s[0], channels, (long) s[2] * s[3]),
                "snc_batch_norm_backward");
    }

    private CudaTensor perChannel(String op, String name, Tensor t, int channels) {
        CudaTensor d = tensor(t, op, name);
        shape(op, name, d.shape(), channels);
        return d;
    }

    // ---------------------------------------------------------------- pooling and resampling

    @Override
    public void maxPool(Tensor x, Tensor y, PoolGeometry g) {
        String op = "maxPool";
        CudaTensor xs = tensor(x, op, "x");
        CudaTensor ys = tensor(y, op, "y");
        PoolExtents e = PoolExtents.of(op, "x", xs.shape(), "y", ys.shape(), g);
        distinct(op, "y", y, "x", x);
        if (!e.empty()) {
            check(CudaNative.maxPoolForward(handle(), e.toArray(), xs.pointer(), ys.pointer()), "snc_max_pool_forward");
        }
    }

    @Override
    public void maxPoolBackward(Tensor x, Tensor dy, Tensor dx, PoolGeometry g) {
        String op = "maxPoolBackward";
        CudaTensor xs = tensor(x, op, "x");
        CudaTensor dys = tensor(dy, op, "dy");
        CudaTensor dxs = tensor(dx, op, "dx");
        PoolExtents e = PoolExtents.of(op, "x", xs.shape(), "dy", dys.shape(), g);
        sameShape(op, "x", xs.shape(), "dx", dxs.shape());
        distinct(op, "dx", dx, "x", x);
        distinct(op, "dx", dx, "dy", dy);
        if (!e.empty()) {
            check(CudaNative.maxPoolBackward(handle(), e.toArray(), xs.pointer(), dys.pointer(), dxs.pointer()),
                    "snc_max_pool_backward");
        }
    }

    @Override
    public void avgPool(Tensor x, Tensor y, PoolGeometry g) {
        String op = "avgPool";
        CudaTensor xs = tensor(x, op, "x");
        CudaTensor ys = tensor(y, op, "y");
        PoolExtents e = PoolExtents.of(op, "x", xs.shape(), "y", ys.shape(), g);
        distinct(op, "y", y, "x", x);
        if (!e.empty()) {
            check(CudaNative.avgPoolForward(handle(), e.toArray(), xs.pointer(), ys.pointer()), "snc_avg_pool_forward");
        }
    }

    @Override
    public void avgPoolBackward(Tensor dy, Tensor dx, PoolGeometry g) {
        String op = "avgPoolBackward";
        CudaTensor dys = tensor(dy, op, "dy");
        CudaTensor dxs = tensor(dx, op, "dx");
        PoolExtents e = PoolExtents.of(op, "dx", dxs.shape(), "dy", dys.shape(), g);
        distinct(op, "dx", dx, "dy", dy);
        if (!e.empty()) {
            check(CudaNative.avgPoolBackward(handle(), e.toArray(), dys.pointer(), dxs.pointer()),
                    "snc_avg_pool_backward");
        }
    }

    @Override
    public void subsample(Tensor x, Tensor y, int stride) {
        String op = "subsample";
        CudaTensor xs = tensor(x, op, "x");
        CudaTensor ys = tensor(y, op, "y");
        int[] s = subsampleShapes(op, "x", xs.shape(), "y", ys.shape(), stride);
        distinct(op, "y", y, "x", x);
        if (ys.size() > 0) {
            check(CudaNative.subsampleForward(handle(), xs.pointer(), ys.pointer(), (long) s[0] * s[1], s[2], s[3],
                    stride), "snc_subsample_forward");
        }
    }

    @Override
    public void subsampleBackward(Tensor dy, Tensor dx, int stride) {
        String op = "subsampleBackward";
        CudaTensor dys = tensor(dy, op, "dy");
        CudaTensor dxs = tensor(dx, op, "dx");
        int[] s = subsampleShapes(op, "dx", dxs.shape(), "dy", dys.shape(), stride);
        distinct(op, "dx", dx, "dy", dy);
        if (dys.size() > 0) {
            check(CudaNative.subsampleBackward(handle(), dys.pointer(), dxs.pointer(), (long) s[0] * s[1], s[2], s[3],
                    stride), "snc_subsample_backward");
        }
    }

    /** The subsampled extent ceil(in / stride), as the reference backend defines it. */
    static int subsampledSize(int in, int stride) {
        return (int) (((long) in + stride - 1) / stride);
    }

    private static int[] subsampleShapes(String op, String inName, int[] in, String outName, int[] out, int stride) {
        require(stride >= 1, op + ": stride must be at least 1, got " + stride);
        rank(op, inName, in, 4);
        int[] want = {in[0], in[1], subsampledSize(in[2], stride), subsampledSize(in[3], stride)};
        require(Arrays.equals(out, want), op + ": " + outName + " has shape " + str(out) + ", expected " + str(want)
                + " for " + inName + " " + str(in) + " and stride " + stride);
        return in;
    }

    @Override
    public void globalAvgPool(Tensor x, Tensor y) {
        String op = "globalAvgPool";
        CudaTensor xs = tensor(x, op, "x");
        CudaTensor ys = tensor(y, op, "y");
        int[] s = globalPoolShape(op, "x", xs.shape(), "y", ys.shape());
        if (ys.size() > 0) {
            check(CudaNative.globalAvgPoolForward(handle(), xs.pointer(), ys.pointer(), (long) s[0] * s[1],
                    (long) s[2] * s[3]), "snc_global_avg_pool_forward");
        }
    }

    @Override
    public void globalAvgPoolBackward(Tensor dy, Tensor dx) {
        String op = "globalAvgPoolBackward";
        CudaTensor dys = tensor(dy, op, "dy");
        CudaTensor dxs = tensor(dx, op, "dx");
        int[] s = globalPoolShape(op, "dx", dxs.shape(), "dy", dys.shape());
        if (dys.size() > 0) {
            check(CudaNative.globalAvgPoolBackward(handle(), dys.pointer(), dxs.pointer(), (long) s[0] * s[1],
                    (long) s[2] * s[3]), "snc_global_avg_pool_backward");
        }
    }

    private static int[] globalPoolShape(String op, String inName, int[] in, String outName, int[] out) {
        rank(op, inName, in, 4);
        require((long) in[2] * in[3] >= 1, op + ": " + inName + " " + str(in) + " has an empty plane");
        shape(op, outName, out, in[0], in[1]);
        return in;
    }

    // ---------------------------------------------------------------- dense head and loss

    @Override
    public void linear(Tensor x, Tensor w, Tensor b, Tensor y) {
        String op = "linear";
        CudaTensor xs = tensor(x, op, "x");
        CudaTensor ws = tensor(w, op, "w");
        CudaTensor bs = tensor(b, op, "b");
        CudaTensor ys = tensor(y, op, "y");
        int[] d = linearShapes(op, xs.shape(), ws.shape(), bs.shape(), "y", ys.shape());
        distinct(op, "y", y, "x", x);
        distinct(op, "y", y, "w", w);
        distinct(op, "y", y, "b", b);
        check(CudaNative.linearForward(handle(), xs.pointer(), ws.pointer(), bs.pointer(), ys.pointer(), d[0], d[1],
                d[2]), "snc_linear_forward");
    }

    @Override
    public void linearBackward(Tensor x, Tensor w, Tensor dy, Tensor dx, Tensor dw, Tensor db) {
        String op = "linearBackward";
        CudaTensor xs = tensor(x, op, "x");
        CudaTensor ws = tensor(w, op, "w");
        CudaTensor dys = tensor(dy, op, "dy");
        CudaTensor dxs = dx == null ? null : tensor(dx, op, "dx");
        CudaTensor dws = tensor(dw, op, "dw");
        CudaTensor dbs = tensor(db, op, "db");
        int[] d = linearShapes(op, xs.shape(), ws.shape(), dbs.shape(), "dy", dys.shape());
        shape(op, "dw", dws.shape(), ws.shape());
        if (dx != null) {
            shape(op, "dx", dxs.shape(), xs.shape());
            for (Tensor in : new Tensor[] {x, w, dy}) {
                distinct(op, "dx", dx, "an input", in);
            }
        }
        for (Tensor in : new Tensor[] {x, w, dy}) {
            distinct(op, "dw", dw, "an input", in);
            distinct(op, "db", db, "an input", in);
        }
        check(CudaNative.linearBackward(handle(), xs.pointer(), ws.pointer(), dys.pointer(),
                dxs == null ? 0L : dxs.pointer(), dws.pointer(), dbs.pointer(), d[0], d[1], d[2]),
                "snc_linear_backward");
    }

    /** Checks x [N,K], w [M,K], a bias-shaped [M] tensor and an output-shaped [N,M] tensor; returns {N, K, M}. */
    private static int[] linearShapes(String op, int[] x, int[] w, int[] b, String outName, int[] out) {
        rank(op, "x", x, 2);
        rank(op, "w", w, 2);
        int batch = x[0];
        int in = x[1];
        int outFeatures = w[0];
        String all = "x " + str(x) + ", w " + str(w) + ", b " + str(b) + ", " + outName + " " + str(out);
        require(w[1] == in, op + ": w " + str(w) + " does not match x " + str(x) + " (" + all + ")");
        require(Arrays.equals(b, new int[] {outFeatures}), op + ": bias has shape " + str(b) + ", expected ["
                + outFeatures + "] (" + all + ")");
        require(Arrays.equals(out, new int[] {batch, outFeatures}), op + ": " + outName + " has shape " + str(out)
                + ", expected [" + batch + ", " + outFeatures + "] (" + all + ")");
        return new int[] {batch, in, outFeatures};
    }

    @Override
    public void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dLogits, Tensor loss, double scale) {
        String op = "softmaxCrossEntropy";
        CudaTensor ls = tensor(logits, op, "logits");
        CudaTensor ds = tensor(dLogits, op, "dLogits");
        CudaTensor lbs = tensor(labels, op, "labels");
        CudaTensor out = tensor(loss, op, "loss");
        rank(op, "logits", ls.shape(), 2);
        sameShape(op, "logits", ls.shape(), "dLogits", ds.shape());
        distinct(op, "dLogits", dLogits, "logits", logits);
        require(out.size() == 1, op + ": loss has shape " + str(out.shape()) + ", expected [1]");
        for (Tensor in : new Tensor[] {logits, labels, dLogits}) {
            distinct(op, "loss", loss, "an input", in);
        }
        int batch = ls.shape()[0];
        int classes = ls.shape()[1];
        require(batch >= 1 && classes >= 1, op + ": logits " + str(ls.shape()) + " is empty");
        require(Arrays.equals(lbs.shape(), new int[] {batch}), op + ": labels has shape " + str(lbs.shape())
                + ", expected [" + batch + "] for logits " + str(ls.shape()));
        // the labels are read on the device (a bad one makes the loss NaN); the loss stays there too
        long workspaceBytes = CudaNative.softmaxCrossEntropyWorkspaceBytes(batch);
        long base = workspace(op, workspaceBytes);
        check(CudaNative.softmaxCrossEntropy(handle(), ls.pointer(), lbs.pointer(), ds.pointer(), batch, classes,
                scale, base, workspaceBytes, out.pointer()), "snc_softmax_cross_entropy");
    }

    // ---------------------------------------------------------------- optimiser

    @Override
    public void sgdMomentum(Tensor param, Tensor grad, Tensor velocity, double lr, double momentum,
                            double weightDecay) {
        String op = "sgdMomentum";
        CudaTensor ps = tensor(param, op, "param");
        CudaTensor gs = tensor(grad, op, "grad");
        CudaTensor vs = tensor(velocity, op, "velocity");
        sameSize(op, "param", ps.shape(), "grad", gs.shape());
        sameSize(op, "param", ps.shape(), "velocity", vs.shape());
        check(CudaNative.sgdMomentum(handle(), ps.pointer(), gs.pointer(), vs.pointer(), ps.size(),
                toFloat(op, "lr", lr), toFloat(op, "momentum", momentum), toFloat(op, "weightDecay", weightDecay)),
                "snc_sgd_momentum");
    }

    /**
     * One launch for every triple (see {@link SgdMomentumTable} for the device table of addresses,
     * uploaded only when the tensors change). The kernel reads the rate from {@code rate}'s device
     * memory, so a captured step's graph holds its address, not its value.
     */
    @Override
    public void sgdMomentumAll(List<Tensor> params, List<Tensor> grads, List<Tensor> velocities, Tensor rate,
                               double momentum, double weightDecay) {
        String op = "sgdMomentumAll";
        int n = org.spidernet.backend.SgdMomentumTriples.check(op, params, grads, velocities, rate);
        float momentum32 = toFloat(op, "momentum", momentum);
        float decay32 = toFloat(op, "weightDecay", weightDecay);
        ensureOpen();
        CudaTensor r = tensor(rate, op, "rate");
        long[] addressesAndCounts = new long[4 * n];
        for (int i = 0; i < n; i++) {
            CudaTensor p = tensor(params.get(i), op, "params[" + i + "]");
            CudaTensor g = tensor(grads.get(i), op, "grads[" + i + "]");
            CudaTensor v = tensor(velocities.get(i), op, "velocities[" + i + "]");
            addressesAndCounts[i] = p.pointer();
            addressesAndCounts[n + i] = g.pointer();
            addressesAndCounts[2 * n + i] = v.pointer();
            addressesAndCounts[3 * n + i] = p.size();
        }
        if (n == 0) {
            return;
        }
        if (capturing && !sgdTable.holds(addressesAndCounts)) {
            throw new IllegalStateException(op + ": a new SGD table would be copied to the device inside a captured "
                    + "step; run the step once before recording it");
        }
        long table = sgdTable.pointer(addressesAndCounts, n);
        check(CudaNative.sgdMomentumAll(handle(), table, n, sgdTable.chunks(), r.pointer(), momentum32, decay32),
                "snc_sgd_momentum_all");
    }

    /** Fused-update tables copied to the device since the backend was opened (see {@link SgdMomentumTable}). */
    long sgdMomentumTableUploads() {
        return sgdTable.uploads();
    }

    // ---------------------------------------------------------------- helpers

    private long handle() {
        return context.handle();
    }

    /**
     * Throws {@link CudaException} naming {@code call} unless {@code status} is 0. In synchronous
     * mode it then waits for the stream, so a fault inside a kernel is reported against the op
     * that launched it instead of at the next waiting call.
     */
    private void check(int status, String call) {
        CudaNative.check(status, call);
        if (synchronous && !capturing) {
            CudaNative.check(CudaNative.synchronize(context.handle()), call + " (checked synchronously)");
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("CUDA backend is closed");
        }
    }

    /** Refuses {@code what} while a step is being recorded: it would wait for the device, copy host memory or allocate. */
    private void notCapturing(String what) {
        if (capturing) {
            throw new IllegalStateException(what + " inside a captured step: a recorded step may not wait for the "
                    + "device, copy host memory or allocate");
        }
    }

    /** Reduction workspace of at least {@code bytes}; growing it inside a recording is refused. */
    private long workspace(String op, long bytes) {
        if (capturing && reductions.bytes() < bytes) {
            throw new IllegalStateException(op + ": its workspace would grow (an allocation) inside a captured step; "
                    + "run the step once before recording it");
        }
        return reductions.pointer(bytes);
    }

    // ---------------------------------------------------------------- captured steps

    /**
     * A step recorded as a CUDA graph on its first {@link CapturedStep#replay()} (see
     * {@link CudaCapturedStep}): the first replay runs the step's ops directly (which also
     * brings the workspace and the SGD table to what the step needs), then records them; later
     * replays launch the graph.
     */
    @Override
    public CapturedStep capture(Runnable step) {
        Objects.requireNonNull(step, "step");
        ensureOpen();
        notCapturing("capture");
        CudaCapturedStep captured = new CudaCapturedStep(this, step);
        capturedSteps.add(captured);
        return captured;
    }

    /**
     * A number that changes whenever device memory a recorded step points into (besides the
     * tensors) is replaced or rewritten: the reduction workspace grew, another SGD table was
     * uploaded, or the gated sums' pointer tables were freed. A graph recorded under another value must be recorded again.
     */
    long capturedResourcesVersion() {
        return reductions.generation() + sgdTable.uploads() + gatedTables.generation();
    }

    /**
     * Records {@code step}'s ops into a graph and returns the executable graph's handle; runs nothing.
     *
     * <p>A tensor closed during the recording is freed when the recording ends ({@link #free}),
     * not inside it. If the step fails, its exception propagates after the capture is aborted and
     * those frees are done. If it records but closed a tensor, the graph may read memory that is
     * now free, so it is released and an {@link IllegalStateException} says so: a recorded step
     * must leave the tensors it uses allocated.
     */
    long record(Runnable step) {
        ensureOpen();
        notCapturing("capture");
        CudaNative.check(CudaNative.captureBegin(handle()), "snc_capture_begin");
        capturing = true;
        try {
            step.run();
        } catch (RuntimeException | Error e) {
            capturing = false;
            int aborted = CudaNative.captureAbort(handle());
            if (aborted != 0) {
                e.addSuppressed(new CudaException(aborted, "snc_capture_abort failed: " + CudaNative.statusString(aborted)));
            }
            try {
                releaseDeferredFrees();
            } catch (RuntimeException freeing) {
                e.addSuppressed(freeing);
            }
            throw e;
        }
        capturing = false;
        long[] graph = new long[1];
        int freed;
        try {
            CudaNative.check(CudaNative.captureEnd(handle(), graph), "snc_capture_end");
        } finally {
            freed = releaseDeferredFrees();
        }
        if (freed > 0) {
            destroyGraph(graph[0]);
            throw new IllegalStateException("capture: the step closed " + freed + " tensor(s) while it was recorded; "
                    + "their memory is freed now, so the recorded graph, which may read it, was discarded (a "
                    + "captured step must leave the tensors it uses allocated)");
        }
        return graph[0];
    }

    /** Makes room in caches a step's recording needs (called before the step's eager run). */
    void prepareRecording() {
        gatedTables.makeRoom();
    }

    /** Replaces the gate-gradient fold of {@link #gatedSumBackward} (tests; null: one snc_gate_gradient per gate). */
    void useGateGradientFold(GatedAccumulate.GateGradientFold fold) {
        this.gateGradientFold = fold;
    }

    /** {@code snc_gated_sum_forward} launches queued from Java so far (a replayed graph's not counted). */
    long gatedSumForwardLaunches() {
        return gatedSumForwardLaunches;
    }

    /** {@code snc_gated_sum_backward} launches queued from Java so far. */
    long gatedSumBackwardLaunches() {
        return gatedSumBackwardLaunches;
    }

    /** {@code snc_scale_add_per_sample} launches queued from Java so far. */
    long scaleAddPerSampleLaunches() {
        return scaleAddPerSampleLaunches;
    }

    /** {@code snc_gate_gradient} launches queued from Java so far. */
    long gateGradientLaunches() {
        return gateGradientLaunches;
    }

    /** Pointer tables of the gated sums copied to the device so far (tests: a repeated step adds none). */
    long gatedSumTableUploads() {
        return gatedTables.uploads();
    }

    /** Queues one run of a recorded graph. */
    void launch(long graph) {
        ensureOpen();
        notCapturing("replay");
        check(CudaNative.graphLaunch(handle(), graph), "snc_graph_launch");
    }

    /** Releases a recorded graph (waits for the stream first). */
    void destroyGraph(long graph) {
        if (!context.isOpen()) {
            return;  // released with the context
        }
        CudaNative.check(CudaNative.graphDestroy(handle(), graph), "snc_graph_destroy");
    }

    /** Called by {@link CudaCapturedStep#close()}. */
    void forget(CudaCapturedStep step) {
        capturedSteps.remove(step);
    }

    private static void distinct(String op, String outName, Tensor out, String inName, Tensor in) {
        if (out == in) {
            throw new IllegalArgumentException(op + ": " + outName + " " + str(out.shape())
                    + " must not be the same tensor as " + inName);
        }
    }

    /** {@code t} as this backend's open tensor: a foreign tensor is an argument error, a closed one a lifetime error. */
    private CudaTensor tensor(Tensor t, String op, String name) {
        Objects.requireNonNull(t, () -> op + ": " + name + " is null");
        ensureOpen();
        if (!(t instanceof CudaTensor ct) || ct.owner() != this) {
            throw new IllegalArgumentException(op + ": " + name + " " + str(t.shape())
                    + " belongs to another backend, not this CUDA backend");
        }
        if (ct.isClosed()) {
            throw new IllegalStateException(op + ": " + name + " " + str(t.shape()) + " is closed");
        }
        return ct;
    }
}
