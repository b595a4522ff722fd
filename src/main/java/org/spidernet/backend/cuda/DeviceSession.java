package org.spidernet.backend.cuda;

import java.util.ArrayList;
import java.util.List;
import org.spidernet.backend.BackendUnavailableException;
import org.spidernet.backend.TensorLedger;

/**
 * Everything one backend holds on its device, opened and closed as one: the context (stream and
 * memory pool), the tensors ({@link TensorStorage}), recorded graphs ({@link GraphCapture}), and
 * the scratch buffers and tables the kernels use besides the tensors. Closing frees every tensor
 * still open, the deferred frees and graphs, the scratch, then the context, and rethrows the first
 * failure after everything has been released (a context is closed once).
 */
final class DeviceSession {
    private final CudaContext context;
    private final DeviceStream stream;
    private final GraphCapture graphs;
    private final TensorStorage storage;
    /** Stages the host arguments of augment (never used inside a captured step). */
    private final Scratch staging;
    /** Reduction workspace; a captured step's kernels point into it. */
    private final Scratch reductions;
    private final SgdMomentumTable sgdTable;
    /** Device pointer tables of the fused gated sums, kept between calls. */
    private final GatedPointerTables gatedTables;
    /** The emulated device's memory before this session limited it (restored at close), or 0. */
    private long emulatedMemoryToRestore;

    private DeviceSession(CudaContext context, boolean synchronous, long capacityBytes) {
        this.context = context;
        this.staging = new Scratch(context, "augment staging");
        this.reductions = new Scratch(context, "reduction");
        this.sgdTable = new SgdMomentumTable(context);
        this.gatedTables = new GatedPointerTables(context);
        this.stream = new DeviceStream(context, synchronous, reductions);
        this.graphs = new GraphCapture(stream, reductions, sgdTable, gatedTables);
        this.storage = new TensorStorage(stream, graphs, capacityBytes);
    }

    /** A session with its own stream and memory pool on {@code device}, the tensors limited to {@code capacityBytes}. */
    static DeviceSession open(int device, boolean synchronous, long capacityBytes) {
        if (capacityBytes <= 0) {
            throw new IllegalArgumentException("cuda: device capacity must be > 0 bytes, got " + capacityBytes);
        }
        return new DeviceSession(CudaContext.open(device), synchronous, capacityBytes);
    }

    /**
     * A session on the first supported device, synchronous when {@link CudaBackend#SYNCHRONOUS_PROPERTY}
     * says so. On the emulated device a limit is the device's own memory instead (its pool refuses
     * beyond it, as a small GPU's would, so out-of-memory comes from the native allocator) until
     * the session closes.
     */
    static DeviceSession openFirst(long capacityBytes) {
        CudaProbe.Result probe = CudaProbe.result();
        if (!probe.availability().usable()) {
            throw new BackendUnavailableException("CUDA backend unavailable: " + probe.availability().detail());
        }
        int device = probe.devices().stream().filter(CudaDeviceInfo::supported).findFirst().orElseThrow().index();
        boolean synchronous = Boolean.getBoolean(CudaBackend.SYNCHRONOUS_PROPERTY);
        if (probe.emulated() && capacityBytes != TensorLedger.UNLIMITED
                && CudaNative.emulatedSetMemory(capacityBytes) == 0) {
            DeviceSession session = open(device, synchronous, TensorLedger.UNLIMITED);
            session.emulatedMemoryToRestore = probe.devices().get(device).totalMemoryBytes();
            return session;
        }
        return open(device, synchronous, capacityBytes);
    }

    CudaContext context() {
        return context;
    }

    DeviceStream stream() {
        return stream;
    }

    GraphCapture graphs() {
        return graphs;
    }

    TensorStorage storage() {
        return storage;
    }

    Scratch staging() {
        return staging;
    }

    SgdMomentumTable sgdTable() {
        return sgdTable;
    }

    GatedPointerTables gatedTables() {
        return gatedTables;
    }

    /** Bytes held by the scratch buffers (host-argument staging and reduction workspace) and the kernels' tables. */
    long scratchBytes() {
        return staging.bytes() + reductions.bytes() + sgdTable.bytes() + gatedTables.bytes();
    }

    /** Waits for the stream (refused while a step is being recorded). */
    void synchronize() {
        stream.ensureOpen();
        stream.notCapturing("synchronize");
        context.synchronize();
    }

    void close() {
        if (stream.isClosed()) {
            return;
        }
        List<AutoCloseable> held = graphs.closing();  // aborts a recording in progress first
        stream.close();
        RuntimeException first = null;
        List<AutoCloseable> resources = new ArrayList<>(storage.drain());
        resources.addAll(held);
        resources.addAll(List.of(staging, reductions, sgdTable, gatedTables));
        for (AutoCloseable r : resources) {
            try {
                if (r instanceof CudaTensor t) {
                    t.invalidate();  // the ledger forgot it already
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
}
