// Captured steps: a training step's kernels recorded once from the context's stream into a CUDA
// graph, then launched as one unit per step (no per-kernel launch cost, no host work per op).
//
// Capture mode: cudaStreamCaptureModeThreadLocal. The step is queued by one Java thread (a backend
// belongs to one thread at a time), so an unsafe call (a synchronous copy, an allocation, a
// stream synchronisation) made by THAT thread while it records must fail, which is what the
// thread-local mode enforces; the global mode would also fail such calls made by other threads of
// the process (another backend's context, a metric on another thread) for as long as this
// recording lasts, for no benefit, and the relaxed mode would let this thread's mistakes through.
#include <cuda_runtime.h>

#include "context.hpp"
#include "spidernet_cuda.h"

namespace {

int to_status(cudaError_t error) { return static_cast<int>(error); }

}  // namespace

extern "C" int snc_capture_begin(snc_context* context) {
    const int bound = snc::bind(context);
    if (bound != SNC_OK) return bound;
    return to_status(cudaStreamBeginCapture(context->stream, cudaStreamCaptureModeThreadLocal));
}

extern "C" int snc_capture_end(snc_context* context, void** graph_exec) {
    if (graph_exec == nullptr) return SNC_ERR_ARGUMENT;
    *graph_exec = nullptr;
    const int bound = snc::bind(context);
    if (bound != SNC_OK) return bound;
    cudaGraph_t graph = nullptr;
    cudaError_t status = cudaStreamEndCapture(context->stream, &graph);
    if (status != cudaSuccess) {
        if (graph != nullptr) cudaGraphDestroy(graph);
        cudaGetLastError();  // a failed recording is reported here, not by the next launch
        return to_status(status);
    }
    cudaGraphExec_t exec = nullptr;
    status = cudaGraphInstantiate(&exec, graph, 0);
    // the executable graph is independent of the recorded one, which is not needed any more
    cudaGraphDestroy(graph);
    if (status != cudaSuccess) {
        cudaGetLastError();
        return to_status(status);
    }
    *graph_exec = exec;
    return SNC_OK;
}

extern "C" int snc_capture_abort(snc_context* context) {
    const int bound = snc::bind(context);
    if (bound != SNC_OK) return bound;
    cudaStreamCaptureStatus capturing = cudaStreamCaptureStatusNone;
    cudaError_t status = cudaStreamIsCapturing(context->stream, &capturing);
    if (status != cudaSuccess) return to_status(status);
    if (capturing == cudaStreamCaptureStatusNone) return SNC_OK;
    cudaGraph_t graph = nullptr;
    // an invalidated recording ends with cudaErrorStreamCaptureInvalidated: expected when aborting
    status = cudaStreamEndCapture(context->stream, &graph);
    if (graph != nullptr) cudaGraphDestroy(graph);
    cudaGetLastError();
    status = cudaStreamIsCapturing(context->stream, &capturing);
    if (status != cudaSuccess) return to_status(status);
    return capturing == cudaStreamCaptureStatusNone ? SNC_OK : to_status(cudaErrorStreamCaptureUnmatched);
}

extern "C" int snc_graph_launch(snc_context* context, void* graph_exec) {
    if (graph_exec == nullptr) return SNC_ERR_ARGUMENT;
    const int bound = snc::bind(context);
    if (bound != SNC_OK) return bound;
    return to_status(cudaGraphLaunch(static_cast<cudaGraphExec_t>(graph_exec), context->stream));
}

extern "C" int snc_graph_destroy(snc_context* context, void* graph_exec) {
    if (graph_exec == nullptr) return SNC_OK;
    const int bound = snc::bind(context);
    if (bound != SNC_OK) return bound;
    // a launch may still be running: wait for it, then release (a rare call, on a key change)
    cudaError_t status = cudaStreamSynchronize(context->stream);
    const cudaError_t destroyed = cudaGraphExecDestroy(static_cast<cudaGraphExec_t>(graph_exec));
    return to_status(status != cudaSuccess ? status : destroyed);
}
