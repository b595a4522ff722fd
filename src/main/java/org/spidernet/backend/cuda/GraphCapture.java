package org.spidernet.backend.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.spidernet.backend.CapturedStep;

/**
 * Recording a step's kernels into a CUDA graph on the backend's stream, and the graphs' lifetime
 * ({@link CudaCapturedStep} records on its first replay and launches the graph afterwards).
 * While a recording runs, a tensor's free is kept until it ends ({@link #free}): a stream-ordered
 * free of memory allocated outside the capture would be recorded into (and invalidate) the graph.
 */
final class GraphCapture {
    private final DeviceStream stream;
    private final Scratch reductions;
    private final SgdMomentumTable sgdTable;
    private final GatedPointerTables gatedTables;
    /** Buffers of tensors closed while a step was being recorded, freed when the recording ends. */
    private final List<DeviceBuffer> deferredFrees = new ArrayList<>();
    /** Captured steps not closed yet: their graphs are released before the context. */
    private final List<CudaCapturedStep> steps = new ArrayList<>();

    GraphCapture(DeviceStream stream, Scratch reductions, SgdMomentumTable sgdTable, GatedPointerTables gatedTables) {
        this.stream = stream;
        this.reductions = reductions;
        this.sgdTable = sgdTable;
        this.gatedTables = gatedTables;
    }

    /**
     * A step recorded as a CUDA graph on its first {@link CapturedStep#replay()}: the first replay
     * runs the step's ops directly (which also brings the workspace and the SGD table to what the
     * step needs), then records them; later replays launch the graph.
     */
    CapturedStep capture(Runnable step) {
        Objects.requireNonNull(step, "step");
        stream.ensureOpen();
        stream.notCapturing("capture");
        CudaCapturedStep captured = new CudaCapturedStep(this, step);
        steps.add(captured);
        return captured;
    }

    /**
     * A number that changes whenever device memory a recorded step points into (besides the
     * tensors) is replaced or rewritten: the reduction workspace grew, another SGD table was
     * uploaded, or the gated sums' pointer tables were freed. A graph recorded under another value must be recorded again.
     */
    long resourcesVersion() {
        return reductions.generation() + sgdTable.uploads() + gatedTables.generation();
    }

    /** Makes room in caches a step's recording needs (called before the step's eager run). */
    void prepareRecording() {
        gatedTables.makeRoom();
    }

    /** Frees a closed tensor's memory, or keeps it until the recording in progress ends (see {@link #record}). */
    void free(DeviceBuffer buffer) {
        if (stream.capturing()) {
            deferredFrees.add(buffer);
        } else {
            buffer.close();
        }
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
        stream.ensureOpen();
        stream.notCapturing("capture");
        CudaNative.check(CudaNative.captureBegin(stream.handle()), "snc_capture_begin");
        stream.capturing(true);
        try {
            step.run();
        } catch (RuntimeException | Error e) {
            stream.capturing(false);
            int aborted = CudaNative.captureAbort(stream.handle());
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
        stream.capturing(false);
        long[] graph = new long[1];
        int freed;
        try {
            CudaNative.check(CudaNative.captureEnd(stream.handle(), graph), "snc_capture_end");
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

    /** Queues one run of a recorded graph. */
    void launch(long graph) {
        stream.ensureOpen();
        stream.notCapturing("replay");
        stream.check(CudaNative.graphLaunch(stream.handle(), graph), "snc_graph_launch");
    }

    /** Releases a recorded graph (waits for the stream first). */
    void destroyGraph(long graph) {
        if (!stream.context().isOpen()) {
            return;  // released with the context
        }
        CudaNative.check(CudaNative.graphDestroy(stream.handle(), graph), "snc_graph_destroy");
    }

    /** Called by {@link CudaCapturedStep#close()}. */
    void forget(CudaCapturedStep step) {
        steps.remove(step);
    }

    /**
     * For the backend's close: aborts a recording in progress (best effort: the context is
     * released afterwards anyway) and hands over what is still held, the deferred frees and then
     * the open captured steps, to be closed before the context.
     */
    List<AutoCloseable> closing() {
        if (stream.capturing()) {
            stream.capturing(false);
            CudaNative.captureAbort(stream.handle());
        }
        List<AutoCloseable> held = new ArrayList<>(deferredFrees);
        deferredFrees.clear();
        held.addAll(List.copyOf(steps));
        return held;
    }
}
