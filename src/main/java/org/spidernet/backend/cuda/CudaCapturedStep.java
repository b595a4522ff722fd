package org.spidernet.backend.cuda;

import org.spidernet.backend.CapturedStep;

/**
 * A training step as a CUDA graph on the backend's stream. The first {@link #replay()} runs the
 * step's ops directly and then records them (recording runs nothing), so every replay performs
 * the step exactly once; later replays launch the graph: one call instead of a few hundred kernel
 * launches, and no Java per op.
 *
 * <p>The graph holds device addresses: the step's tensors (which must stay allocated while this
 * is open) and the backend's reduction workspace and SGD table. When another op has since grown
 * the workspace or replaced the table ({@link GraphCapture#resourcesVersion()}), the next
 * replay runs the step directly again and records it anew. Closing releases the graph.
 */
final class CudaCapturedStep implements CapturedStep {
    private final GraphCapture graphs;
    private final Runnable step;
    private long graph;
    private long version;
    private long recordings;
    private boolean closed;

    CudaCapturedStep(GraphCapture graphs, Runnable step) {
        this.graphs = graphs;
        this.step = step;
    }

    @Override
    public void replay() {
        if (closed) {
            throw new IllegalStateException("captured step is closed");
        }
        if (graph != 0 && version == graphs.resourcesVersion()) {
            graphs.launch(graph);
            return;
        }
        release();
        graphs.prepareRecording();
        step.run();
        graph = graphs.record(step);
        version = graphs.resourcesVersion();
        recordings++;
    }

    /** Times the step was recorded (tests: a steady replay records once). */
    long recordings() {
        return recordings;
    }

    private void release() {
        if (graph != 0) {
            long g = graph;
            graph = 0;
            graphs.destroyGraph(g);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        graphs.forget(this);
        release();
    }
}
