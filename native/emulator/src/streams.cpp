// Streams, events and graph capture of the emulated device.
//
// Work runs when it is queued, so a stream is trivially in order and synchronising only reports
// the sticky error. Capture records instead of running: kernel launches (with their arguments
// copied at launch, as a real graph keeps its kernel parameters), device-to-device copies and
// memsets become the graph's operations, replayed in order by cudaGraphLaunch. What a GPU forbids
// while a stream records is refused here too and invalidates the recording: synchronising the
// stream, copies with host memory, freeing memory that is not a graph allocation.
// Capture modes: the recording belongs to the thread that began it (thread-local and global modes
// behave alike here, since the device lock already serialises other threads).
#include <chrono>
#include <set>
#include <thread>

#include "internal.hpp"

struct snc_emu_stream {
    enum cudaStreamCaptureStatus capture = cudaStreamCaptureStatusNone;
    std::thread::id capturing_thread;
    std::vector<snc_emu::Operation> recorded;
    std::set<void*> graph_allocations;
};

struct snc_emu_graph {
    std::vector<snc_emu::Operation> operations;
    std::set<void*> allocations;
};

struct snc_emu_graph_exec {
    std::vector<snc_emu::Operation> operations;
    std::set<void*> allocations;  // owned: freed with the executable graph
};

struct snc_emu_event {
    std::chrono::steady_clock::time_point when;
    bool recorded = false;
};

namespace snc_emu {

namespace {

// Guarded by device_lock().
std::set<cudaStream_t> streams;

bool captured_here(cudaStream_t stream) {
    return stream != nullptr && stream->capture != cudaStreamCaptureStatusNone
           && stream->capturing_thread == std::this_thread::get_id();
}

}  // namespace

bool valid_stream(cudaStream_t stream) { return stream == nullptr || streams.count(stream) != 0; }

bool record_if_capturing(cudaStream_t stream, const Operation& operation) {
    if (!captured_here(stream)) return false;
    if (stream->capture == cudaStreamCaptureStatusActive) stream->recorded.push_back(operation);
    return true;  // an invalidated recording swallows further work until it ends
}

bool refuse_while_capturing(cudaStream_t stream) {
    if (!captured_here(stream)) return false;
    stream->capture = cudaStreamCaptureStatusInvalidated;
    return true;
}

void note_graph_allocation(cudaStream_t stream, void* pointer) {
    if (captured_here(stream)) stream->graph_allocations.insert(pointer);
}

bool is_graph_allocation(cudaStream_t stream, void* pointer) {
    return captured_here(stream) && stream->graph_allocations.count(pointer) != 0;
}

}  // namespace snc_emu

using snc_emu::fail;

cudaError_t cudaStreamCreateWithFlags(cudaStream_t* stream, unsigned int flags) {
    SNC_EMU_ENTER();
    if (stream == nullptr || flags > cudaStreamNonBlocking) return fail(cudaErrorInvalidValue);
    *stream = new snc_emu_stream();
    snc_emu::streams.insert(*stream);
    return cudaSuccess;
}

cudaError_t cudaStreamCreate(cudaStream_t* stream) { return cudaStreamCreateWithFlags(stream, cudaStreamDefault); }

cudaError_t cudaStreamDestroy(cudaStream_t stream) {
    SNC_EMU_ENTER();
    if (stream == nullptr || snc_emu::streams.erase(stream) == 0) return fail(cudaErrorInvalidResourceHandle);
    delete stream;
    return cudaSuccess;
}

cudaError_t cudaStreamSynchronize(cudaStream_t stream) {
    SNC_EMU_ENTER();
    if (!snc_emu::valid_stream(stream)) return fail(cudaErrorInvalidResourceHandle);
    if (snc_emu::refuse_while_capturing(stream)) return fail(cudaErrorStreamCaptureUnsupported);
    return cudaSuccess;
}

cudaError_t cudaDeviceSynchronize(void) {
    SNC_EMU_ENTER();
    for (cudaStream_t stream : snc_emu::streams) {
        if (snc_emu::refuse_while_capturing(stream)) return fail(cudaErrorStreamCaptureUnsupported);
    }
    return cudaSuccess;
}

cudaError_t cudaEventCreate(cudaEvent_t* event) {
    SNC_EMU_ENTER();
    if (event == nullptr) return fail(cudaErrorInvalidValue);
    *event = new snc_emu_event();
    return cudaSuccess;
}

cudaError_t cudaEventDestroy(cudaEvent_t event) {
    SNC_EMU_ENTER();
    if (event == nullptr) return fail(cudaErrorInvalidResourceHandle);
    delete event;
    return cudaSuccess;
}

cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream) {
    SNC_EMU_ENTER();
    if (event == nullptr || !snc_emu::valid_stream(stream)) return fail(cudaErrorInvalidResourceHandle);
    auto operation = [event] {
        event->when = std::chrono::steady_clock::now();
        event->recorded = true;
    };
    if (!snc_emu::record_if_capturing(stream, operation)) operation();
    return cudaSuccess;
}

cudaError_t cudaEventSynchronize(cudaEvent_t event) {
    SNC_EMU_ENTER();
    return event == nullptr ? fail(cudaErrorInvalidResourceHandle) : cudaSuccess;
}

// Host time between the two records: the emulator's own speed, which says nothing about a GPU's.
cudaError_t cudaEventElapsedTime(float* milliseconds, cudaEvent_t start, cudaEvent_t end) {
    SNC_EMU_ENTER();
    if (milliseconds == nullptr || start == nullptr || end == nullptr) return fail(cudaErrorInvalidValue);
    if (!start->recorded || !end->recorded) return fail(cudaErrorInvalidResourceHandle);
    *milliseconds = std::chrono::duration<float, std::milli>(end->when - start->when).count();
    return cudaSuccess;
}

cudaError_t cudaStreamBeginCapture(cudaStream_t stream, enum cudaStreamCaptureMode mode) {
    SNC_EMU_ENTER();
    // the legacy default stream cannot be captured
    if (stream == nullptr || !snc_emu::valid_stream(stream) || mode > cudaStreamCaptureModeRelaxed) {
        return fail(cudaErrorInvalidValue);
    }
    if (stream->capture != cudaStreamCaptureStatusNone) return fail(cudaErrorIllegalState);
    stream->capture = cudaStreamCaptureStatusActive;
    stream->capturing_thread = std::this_thread::get_id();
    stream->recorded.clear();
    stream->graph_allocations.clear();
    return cudaSuccess;
}

cudaError_t cudaStreamEndCapture(cudaStream_t stream, cudaGraph_t* graph) {
    std::lock_guard<std::recursive_mutex> guard(snc_emu::device_lock());
    if (graph == nullptr || stream == nullptr || !snc_emu::valid_stream(stream)) return fail(cudaErrorInvalidValue);
    *graph = nullptr;
    if (stream->capture == cudaStreamCaptureStatusNone) return fail(cudaErrorIllegalState);
    if (stream->capturing_thread != std::this_thread::get_id()) return fail(cudaErrorStreamCaptureWrongThread);
    const bool invalidated = stream->capture == cudaStreamCaptureStatusInvalidated;
    stream->capture = cudaStreamCaptureStatusNone;
    auto* made = new snc_emu_graph{std::move(stream->recorded), std::move(stream->graph_allocations)};
    stream->recorded.clear();
    stream->graph_allocations.clear();
    if (invalidated) {
        for (void* pointer : made->allocations) cudaFree(pointer);
        delete made;
        return fail(cudaErrorStreamCaptureInvalidated);
    }
    if (snc_emu::sticky_error() != cudaSuccess) {
        delete made;
        return fail(snc_emu::sticky_error());
    }
    *graph = made;
    return cudaSuccess;
}

cudaError_t cudaStreamIsCapturing(cudaStream_t stream, enum cudaStreamCaptureStatus* status) {
    SNC_EMU_ENTER();
    if (status == nullptr || !snc_emu::valid_stream(stream)) return fail(cudaErrorInvalidValue);
    *status = stream == nullptr ? cudaStreamCaptureStatusNone : stream->capture;
    return cudaSuccess;
}

// The executable graph takes over the graph allocations (a GPU graph keeps its memory until it is
// destroyed unless the graph frees it; this engine never frees inside a capture).
cudaError_t cudaGraphInstantiate(cudaGraphExec_t* exec, cudaGraph_t graph, unsigned long long) {
    SNC_EMU_ENTER();
    if (exec == nullptr || graph == nullptr) return fail(cudaErrorInvalidValue);
    *exec = new snc_emu_graph_exec{graph->operations, std::move(graph->allocations)};
    graph->allocations.clear();
    return cudaSuccess;
}

cudaError_t cudaGraphDestroy(cudaGraph_t graph) {
    SNC_EMU_ENTER();
    if (graph == nullptr) return fail(cudaErrorInvalidValue);
    for (void* pointer : graph->allocations) cudaFree(pointer);
    delete graph;
    return cudaSuccess;
}

cudaError_t cudaGraphExecDestroy(cudaGraphExec_t exec) {
    SNC_EMU_ENTER();
    if (exec == nullptr) return fail(cudaErrorInvalidValue);
    for (void* pointer : exec->allocations) cudaFree(pointer);
    delete exec;
    return cudaSuccess;
}

cudaError_t cudaGraphLaunch(cudaGraphExec_t exec, cudaStream_t stream) {
    SNC_EMU_ENTER();
    if (exec == nullptr || !snc_emu::valid_stream(stream)) return fail(cudaErrorInvalidValue);
    if (snc_emu::refuse_while_capturing(stream)) return fail(cudaErrorStreamCaptureUnsupported);
    for (const snc_emu::Operation& operation : exec->operations) {
        operation();
        if (snc_emu::sticky_error() != cudaSuccess) break;  // later operations would see a faulted device
    }
    return cudaSuccess;
}
