package org.spidernet.backend.reference;

import static org.spidernet.backend.ShapeCheck.hostLength;

import java.util.Objects;
import org.spidernet.backend.MemoryStats;
import org.spidernet.backend.ShapeCheck;
import org.spidernet.backend.StorageOps;
import org.spidernet.backend.Tensor;
import org.spidernet.backend.TensorLedger;

/**
 * The tensors of one {@link ReferenceBackend}: allocation against the ledger, host transfers, and
 * the ownership and lifetime check every op makes on each tensor argument before touching it.
 */
final class Storage implements StorageOps {
    static final int BYTES_PER_ELEMENT = Double.BYTES;

    /** Live tensors, for accounting and so {@link #close()} can invalidate them. */
    private final TensorLedger<ReferenceTensor> ledger;
    private boolean closed;

    Storage(long capacityBytes) {
        this.ledger = new TensorLedger<>("reference", BYTES_PER_ELEMENT, capacityBytes);
    }

    @Override
    public Tensor allocate(int... shape) {
        Objects.requireNonNull(shape, "shape");
        ensureOpen();
        int size = ShapeCheck.allocatable(shape);
        ledger.admit(size);
        ReferenceTensor t = new ReferenceTensor(this, shape, size);
        ledger.allocated(t);
        return t;
    }

    /** Called by {@link ReferenceTensor#close()} exactly once per tensor. */
    void released(ReferenceTensor t) {
        ledger.released(t);
    }

    @Override
    public void upload(Tensor dst, double[] data) {
        Objects.requireNonNull(data, "data");
        double[] d = data(dst, "upload", "dst");
        hostLength("upload", data.length, "dst", dst.shape());
        System.arraycopy(data, 0, d, 0, d.length);
    }

    @Override
    public void upload(Tensor dst, float[] data) {
        Objects.requireNonNull(data, "data");
        double[] d = data(dst, "upload", "dst");
        hostLength("upload", data.length, "dst", dst.shape());
        for (int i = 0; i < d.length; i++) {
            d[i] = data[i];
        }
    }

    @Override
    public double[] download(Tensor src) {
        return data(src, "download", "src").clone();
    }

    @Override
    public MemoryStats memory() {
        return ledger.stats();
    }

    @Override
    public void resetPeak() {
        ledger.resetPeak();
    }

    /** Invalidates every live tensor and releases its bytes; later use throws. */
    void close() {
        if (closed) {
            return;
        }
        for (ReferenceTensor t : ledger.drain()) {
            t.invalidate();
        }
        closed = true;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("reference backend is closed");
        }
    }

    /**
     * The storage of {@code t} after checking that it belongs to this backend and is open.
     * A foreign tensor is a caller error about the argument (IllegalArgumentException); a closed
     * one is a lifetime error (IllegalStateException).
     */
    double[] data(Tensor t, String op, String name) {
        ShapeCheck.notNull(op, name, t);
        ensureOpen();
        ShapeCheck.member(op, name, t, t instanceof ReferenceTensor r && r.owner() == this, "reference backend");
        ReferenceTensor rt = (ReferenceTensor) t;
        ShapeCheck.open(op, name, t, rt.isClosed());
        return rt.data();
    }
}
