package org.spidernet.backend.cpu;

import static org.spidernet.backend.ShapeCheck.hostLength;

import java.util.Objects;
import org.spidernet.backend.MemoryStats;
import org.spidernet.backend.ShapeCheck;
import org.spidernet.backend.StorageOps;
import org.spidernet.backend.Tensor;
import org.spidernet.backend.TensorLedger;

/**
 * The tensors of one {@link CpuBackend}: allocation against the ledger, host transfers, and the
 * ownership and lifetime check every op makes on each tensor argument before touching it.
 */
final class Storage implements StorageOps {
    static final int BYTES_PER_ELEMENT = Float.BYTES;
    /** Elements converted per step between float64 host arrays and float32 tensors. */
    private static final int HOST_CHUNK = 4096;

    private final TensorLedger<CpuTensor> ledger;
    private final WorkerPool pool;
    private boolean closed;

    Storage(long capacityBytes, WorkerPool pool) {
        this.ledger = new TensorLedger<>("cpu", BYTES_PER_ELEMENT, capacityBytes);
        this.pool = pool;
    }

    @Override
    public CpuTensor allocate(int... shape) {
        Objects.requireNonNull(shape, "shape");
        ensureOpen();
        int size = ShapeCheck.allocatable(shape);
        ledger.admit(size);
        CpuTensor t = new CpuTensor(this, shape, size);
        ledger.allocated(t);
        return t;
    }

    /** Called by {@link CpuTensor#close()} once per tensor. */
    void released(CpuTensor t) {
        ledger.released(t);
    }

    @Override
    public void upload(Tensor dst, double[] data) {
        Objects.requireNonNull(data, "data");
        CpuTensor d = tensor(dst, "upload", "dst");
        hostLength("upload", data.length, "dst", dst.shape());
        float[] chunk = pool.scratch(0).floats(Scratch.HOST, HOST_CHUNK);
        for (int at = 0; at < data.length; at += HOST_CHUNK) {
            int len = Math.min(HOST_CHUNK, data.length - at);
            for (int i = 0; i < len; i++) {
                chunk[i] = (float) data[at + i];
            }
            d.buffer().put(at, chunk, 0, len);
        }
    }

    @Override
    public void upload(Tensor dst, float[] data) {
        Objects.requireNonNull(data, "data");
        CpuTensor d = tensor(dst, "upload", "dst");
        hostLength("upload", data.length, "dst", dst.shape());
        d.buffer().put(0, data, 0, data.length);
    }

    @Override
    public double[] download(Tensor src) {
        CpuTensor s = tensor(src, "download", "src");
        double[] out = new double[s.intSize()];
        float[] chunk = pool.scratch(0).floats(Scratch.HOST, HOST_CHUNK);
        for (int at = 0; at < out.length; at += HOST_CHUNK) {
            int len = Math.min(HOST_CHUNK, out.length - at);
            s.buffer().get(at, chunk, 0, len);
            for (int i = 0; i < len; i++) {
                out[at + i] = chunk[i];
            }
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

    /** Frees every live tensor; later use throws. */
    void close() {
        for (CpuTensor t : ledger.drain()) {
            t.invalidate();
        }
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("cpu backend is closed");
        }
    }

    /**
     * {@code t} after checking that it belongs to this backend and is open. A foreign tensor is
     * a caller error about the argument (IllegalArgumentException); a closed one is a lifetime
     * error (IllegalStateException).
     */
    CpuTensor tensor(Tensor t, String op, String name) {
        ShapeCheck.notNull(op, name, t);
        ensureOpen();
        ShapeCheck.member(op, name, t, t instanceof CpuTensor c && c.owner() == this, "cpu backend");
        CpuTensor nt = (CpuTensor) t;
        ShapeCheck.open(op, name, t, nt.isClosed());
        return nt;
    }
}
