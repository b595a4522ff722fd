// What the emulator's translation units share. Not seen by kernels or native/.
#pragma once

#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace snc_emu {

// ---- device state (errors.cpp) ----------------------------------------------------------------

// Every runtime call and every kernel runs under this lock: the emulated device does one thing at
// a time, which keeps the allocation registry, the streams and the race check's snapshots consistent
// when several host threads use the device.
std::recursive_mutex& device_lock();

// Every runtime call starts here: the device lock, then the sticky error of an earlier fault.
#define SNC_EMU_ENTER()                                                          \
    std::lock_guard<std::recursive_mutex> snc_emu_guard(::snc_emu::device_lock()); \
    if (::snc_emu::sticky_error() != cudaSuccess) return ::snc_emu::fail(::snc_emu::sticky_error())

// Records `error` as the calling host thread's last error (unless it is cudaSuccess) and returns it.
cudaError_t fail(cudaError_t error);

// The device's sticky error: once a kernel faults, every later call reports it (as on a GPU, where
// the context is then unusable). cudaSuccess while none.
cudaError_t sticky_error();

// A detected fault: printed on stderr (unless SNC_EMU_QUIET=1), kept for snc_emu_last_fault, and
// made sticky with `code`.
void report_fault(cudaError_t code, const std::string& text);

// ---- settings (settings.cpp reads them once from the environment) ----------------------------

struct Settings {
    // SNC_EMU_RACECHECK: which launches run a second time in reversed order (see launch.cpp):
    // all, off, or sample (the default: the first 4 launches of each kernel and launch shape, then
    // every 8th).
    enum class RaceCheck { All, Sample, Off } race_check;
    uint64_t race_check_max_bytes; // SNC_EMU_RACECHECK_MAX_BYTES (default 256 MiB) snapshot limit per launch
    uint64_t shuffle_seed;         // SNC_EMU_SHUFFLE_SEED: a third run in a seeded shuffled order (0: none)
    bool trap_signalling_nan;      // SNC_EMU_TRAP_SNAN (default 0): report arithmetic on never-written memory
    std::string profile;           // SNC_EMU_PROFILE=FILE: per-kernel launches, threads and seconds written at exit
    bool quiet;                    // SNC_EMU_QUIET (default 0): faults are not printed on stderr
    uint64_t capacity;             // SPIDERNET_EMULATED_DEVICE_MEMORY (default 4 GiB): the initial device memory
};
const Settings& settings();

// ---- device memory (device_memory.cpp) --------------------------------------------------------

// The pattern of memory never written (device allocations, shared memory before each block): even
// 32-bit words are float signalling NaNs, and each pair of words is a double signalling NaN (its
// high word, a float quiet NaN, cannot also be a float signalling one).
constexpr uint32_t kNeverWrittenEven = 0x7FA5A5A5u;
constexpr uint32_t kNeverWrittenOdd = 0x7FF5A5A5u;

// The bytes of one live allocation as the kernels see them.
struct Region {
    unsigned char* base;
    size_t size;
};

// The allocations a launch may write: those its writable pointer arguments point into, or every
// live allocation when an argument holds addresses (a pointer table). Empty `regions` and false
// when the total exceeds `limit`.
bool writable_regions(const std::vector<PointerArgument>& arguments, uint64_t limit, std::vector<Region>& regions);

// Checks the guard bytes around the allocations (all when `regions` is null); reports an
// out-of-bounds write by `kernel` and repairs them. False when one was overwritten.
bool check_guards(const char* kernel, const std::vector<Region>* regions);

// ---- streams and capture (streams.cpp) -------------------------------------------------------

// A stream operation recorded into a graph while its stream was captured.
using Operation = std::function<void()>;

// False when `stream` is not a live stream (the legacy default stream 0 is live).
bool valid_stream(cudaStream_t stream);

// True when `stream` is being captured by this thread: `operation` is then recorded, not run.
bool record_if_capturing(cudaStream_t stream, const Operation& operation);

// True when the stream is being captured: the caller's operation cannot be recorded, so it fails
// and the recording is invalidated, as on a GPU.
bool refuse_while_capturing(cudaStream_t stream);

// The capture an allocation made now belongs to (graph allocations are released with the graph).
void note_graph_allocation(cudaStream_t stream, void* pointer);
bool is_graph_allocation(cudaStream_t stream, void* pointer);

// ---- kernels (launch.cpp, block_scheduler.cpp) ----------------------------------------------

// Where a detector found a fault: the GPU thread that ran.
struct FaultSite {
    uint3 block;
    uint3 thread;
};

// One run of a whole grid in one thread order. Returns false after reporting a fault.
struct GridRun {
    const LaunchSpec* spec;
    const KernelCall* call;
    int order;                     // 0 forward, 1 reversed, 2 seeded shuffle
    uint64_t seed;
    // Watch: the last GPU thread whose run changed the bytes at `watch` (race reports); the caller
    // copies the bytes into watch_seen before the run.
    const unsigned char* watch = nullptr;
    size_t watch_bytes = 0;
    unsigned char watch_seen[16] = {};
    bool writer_found = false;
    FaultSite last_writer{};
};
bool run_grid(GridRun& run);

// The fault text's "kernel K block (x,y,z) thread (x,y,z)" prefix.
std::string describe_site(const char* kernel, uint3 block, uint3 thread);

}  // namespace snc_emu
