package org.spidernet.backend.cuda;

import static org.spidernet.backend.ShapeCheck.hostLength;

import java.util.List;
import java.util.Objects;
import org.spidernet.backend.MemoryStats;
import org.spidernet.backend.ShapeCheck;
import org.spidernet.backend.StorageOps;
import org.spidernet.backend.Tensor;
import org.spidernet.backend.TensorLedger;

/**
 * The backend's tensors in the context's stream-ordered pool: allocation (counted exactly by the
 * ledger, the figure execution plans are checked against; an allocation the device cannot supply
 * is a {@link org.spidernet.backend.DeviceOutOfMemoryException} from {@link CudaContext#allocate}),
 * host copies in and out, and the check that a tensor an op receives is one of these and open.
 */
final class TensorStorage implements StorageOps {
    static final int BYTES_PER_ELEMENT = Float.BYTES;

    private final DeviceStream stream;
    private final GraphCapture graphs;
    private final TensorLedger<CudaTensor> ledger;

    TensorStorage(DeviceStream stream, GraphCapture graphs, long capacityBytes) {
        this.stream = stream;
        this.graphs = graphs;
        this.ledger = new TensorLedger<>("cuda", BYTES_PER_ELEMENT, capacityBytes);
    }

    @Override
    public Tensor allocate(int... shape) {
        Objects.requireNonNull(shape, "shape");
        stream.ensureOpen();
        stream.notCapturing("allocate");
        long size = ShapeCheck.allocatable(shape);
        long bytes = size * BYTES_PER_ELEMENT;
        // both checks come before the ledger records anything, so a refused tensor leaves it as it was
        ledger.admit(size);
        DeviceBuffer buffer = stream.context().allocate(bytes);
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

    /** Frees a closed tensor's memory, kept until a recording in progress ends ({@link GraphCapture#free}). */
    void free(DeviceBuffer buffer) {
        graphs.free(buffer);
    }

    @Override
    public void upload(Tensor dst, double[] data) {
        Objects.requireNonNull(data, "data");
        CudaTensor d = tensor(dst, "upload", "dst");
        stream.notCapturing("upload");
        hostLength("upload", data.length, "dst", d.shape());
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
        stream.notCapturing("upload");
        hostLength("upload", data.length, "dst", d.shape());
        d.buffer().upload(data);
    }

    @Override
    public double[] download(Tensor src) {
        CudaTensor s = tensor(src, "download", "src");
        stream.notCapturing("download");
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
    long poolUsedBytes() {
        stream.ensureOpen();
        stream.notCapturing("poolUsedBytes");
        stream.context().synchronize();
        return stream.context().poolUsedBytes();
    }

    /** The pool's high-water mark of bytes in use since opening or the last reset (then from now); waits for the stream. */
    long poolPeakBytes(boolean reset) {
        stream.ensureOpen();
        stream.notCapturing("poolPeakBytes");
        return stream.context().poolHighWaterBytes(reset);
    }

    /** The tensors still open, forgotten by the ledger (the backend is closing). */
    List<CudaTensor> drain() {
        return ledger.drain();
    }

    /** {@code t} as this backend's open tensor: a foreign tensor is an argument error, a closed one a lifetime error. */
    CudaTensor tensor(Tensor t, String op, String name) {
        ShapeCheck.notNull(op, name, t);
        stream.ensureOpen();
        ShapeCheck.member(op, name, t, t instanceof CudaTensor c && c.owner() == this, "CUDA backend");
        CudaTensor ct = (CudaTensor) t;
        ShapeCheck.open(op, name, t, ct.isClosed());
        return ct;
    }
}
