// Runs the blocks of a grid: every GPU thread of a block is a fiber on the calling host thread.
//
// A fiber starts GPU threads one after another (in the run's thread order) and keeps running them
// until one waits at a barrier or a warp collective; that thread keeps the fiber (its stack) and
// a fresh fiber starts the next thread. Kernels that never synchronise thus run on one fiber with
// no switches at all. Once every thread has started and each one waits or has exited, the
// scheduler resolves what can proceed: warp collectives whose lanes have all arrived, else the
// block barrier once every live thread waits at it. What can never proceed is a fault, reported
// with the kernel, block and thread:
//   - __syncthreads reached by some live threads while others wait elsewhere (or at another call site),
//   - a *_sync intrinsic whose mask names a lane that has exited, does not exist in the block,
//     or waits at a different point (diverged), or a shuffle that reads a lane outside its mask.
// The warp is 32 lanes; a collective synchronises only the lanes of its own warp.
#include <signal.h>
#include <xmmintrin.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "fiber.hpp"
#include "internal.hpp"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#define SNC_EMU_ASAN 1
#else
#define SNC_EMU_ASAN 0
#endif

namespace snc_emu {

// The general-dynamic TLS model (a __tls_get_addr call per use, about 2% of a launch): the
// initial-exec model would draw on the static TLS space glibc keeps for libraries loaded with
// dlopen, which other libraries in the JVM (ND4J's) may already have taken.
thread_local const ThreadPosition* current_position = nullptr;

namespace {

constexpr int kWarp = 32;

enum class State { Unstarted, Running, AtBarrier, AtWarp, Released, Exited };

struct GpuThread {
    ThreadPosition position;
    int linear = 0;
    State state = State::Unstarted;
    const char* file = nullptr;
    int line = 0;
    WarpOp op = WarpOp::SyncWarp;
    unsigned mask = 0;
    uint64_t payload = 0;
    int parameter = 0;
    int width = kWarp;
    uint64_t result = 0;
    Fiber* fiber = nullptr;
};

// The state of the block that runs on this host thread.
struct BlockState {
    GridRun* run = nullptr;
    std::vector<GpuThread> threads;
    std::vector<int> order;
    size_t next_start = 0;
    int live = 0;
    SchedulerStack scheduler;
    bool faulted = false;
    GpuThread* running = nullptr;
};

thread_local BlockState* block_state = nullptr;

// Called whenever a GPU thread stops running (waits or exits): the race report's watch.
void segment_ended(BlockState& s, const GpuThread& t) {
    GridRun& run = *s.run;
    if (run.watch == nullptr || std::memcmp(run.watch_seen, run.watch, run.watch_bytes) == 0) return;
    run.last_writer = FaultSite{t.position.block, t.position.thread};
    run.writer_found = true;
    std::memcpy(run.watch_seen, run.watch, run.watch_bytes);
}

void begin_thread(BlockState& s, GpuThread& t, Fiber* fiber) {
    t.state = State::Running;
    t.fiber = fiber;
    s.running = &t;
    current_position = &t.position;
}

}  // namespace

// The body of every fiber: start GPU threads until none is left, then park until reused.
extern "C" __attribute__((visibility("hidden"))) void snc_emu_fiber_main(Fiber* self) {
    started(block_state->scheduler);
    for (;;) {
        BlockState& s = *block_state;
        while (s.next_start < s.order.size() && !s.faulted) {
            GpuThread& t = s.threads[static_cast<size_t>(s.order[s.next_start++])];
            begin_thread(s, t, self);
            s.run->call->invoke();
            t.state = State::Exited;
            s.live--;
            segment_ended(s, t);
        }
        park(self);
        leave(s.scheduler, self);
        resumed(self, block_state->scheduler);  // the launch that took it from the pool
    }
}

namespace {

GpuThread& running_thread(const char* what) {
    BlockState* s = block_state;
    if (s == nullptr || s->running == nullptr) {
        std::fprintf(stderr, "snc-emu: %s called outside a kernel\n", what);
        std::abort();
    }
    return *s->running;
}

// The running thread waits; returns once the scheduler released it.
void wait_here(GpuThread& t) {
    BlockState& s = *block_state;
    segment_ended(s, t);
    s.running = nullptr;
    leave(s.scheduler, t.fiber);
    resumed(t.fiber, s.scheduler);
    // released: the scheduler set the state and the position
}

std::string site(const char* file, int line) {
    const char* base = std::strrchr(file, '/');
    return std::string(base != nullptr ? base + 1 : file) + ":" + std::to_string(line);
}

const char* op_name(WarpOp op) {
    switch (op) {
        case WarpOp::ShuffleIndex: return "__shfl_sync";
        case WarpOp::ShuffleUp: return "__shfl_up_sync";
        case WarpOp::ShuffleDown: return "__shfl_down_sync";
        case WarpOp::ShuffleXor: return "__shfl_xor_sync";
        case WarpOp::Ballot: return "__ballot_sync";
        case WarpOp::SyncWarp: return "__syncwarp";
    }
    return "warp collective";
}

std::string where_waits(const GpuThread& t) {
    switch (t.state) {
        case State::AtBarrier: return "waits at __syncthreads (" + site(t.file, t.line) + ")";
        case State::AtWarp: return std::string("waits at ") + op_name(t.op) + " (" + site(t.file, t.line) + ")";
        case State::Exited: return "has exited";
        default: return "is running";
    }
}

void fault(BlockState& s, const GpuThread& t, const std::string& what) {
    report_fault(cudaErrorLaunchFailure, describe_site(s.run->spec->kernel, t.position.block, t.position.thread)
                                             + ": " + what);
    s.faulted = true;
}

std::string hex(unsigned mask) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%08x", mask);
    return text;
}

// The lane a shuffle of lane `lane` reads, or -1 for its own value.
int source_lane(const GpuThread& t, int lane) {
    const int width = t.width;
    const int segment = (lane / width) * width;
    switch (t.op) {
        case WarpOp::ShuffleIndex: return segment + ((t.parameter % width) + width) % width;
        case WarpOp::ShuffleUp: return lane - segment >= t.parameter ? lane - t.parameter : -1;
        case WarpOp::ShuffleDown: return lane - segment + t.parameter < width ? lane + t.parameter : -1;
        case WarpOp::ShuffleXor: {
            const int other = lane ^ t.parameter;
            return other >= segment && other < segment + width ? other : -1;
        }
        default: return -1;
    }
}

// Releases the warp collectives whose lanes have all arrived. Returns the number released;
// reports a fault (and returns 0) for one that can never complete.
int resolve_warps(BlockState& s) {
    const int n = static_cast<int>(s.threads.size());
    int released = 0;
    for (int base = 0; base < n; base += kWarp) {
        const int lanes = std::min(kWarp, n - base);
        // Fast path: every waiting lane is at one collective whose mask is exactly the waiting lanes.
        unsigned waiting = 0;
        bool uniform = true;
        const GpuThread* first = nullptr;
        for (int lane = 0; lane < lanes; lane++) {
            const GpuThread& t = s.threads[static_cast<size_t>(base + lane)];
            if (t.state != State::AtWarp) continue;
            waiting |= 1u << lane;
            if (first == nullptr) {
                first = &t;
            } else if (t.op != first->op || t.file != first->file || t.line != first->line || t.mask != first->mask) {
                uniform = false;
            }
        }
        if (waiting == 0) continue;
        const bool validated = uniform && first->mask == waiting;
        for (int lane = 0; lane < lanes && !validated; lane++) {
            GpuThread& t = s.threads[static_cast<size_t>(base + lane)];
            if (t.state != State::AtWarp) continue;
            const std::string mask_text = hex(t.mask);
            for (int other = 0; other < kWarp; other++) {
                if ((t.mask & (1u << other)) == 0) continue;
                if (other >= lanes) {
                    fault(s, t, std::string(op_name(t.op)) + " at " + site(t.file, t.line) + ": mask " + mask_text
                                    + " names lane " + std::to_string(other) + ", which does not exist (the block has "
                                    + std::to_string(n) + " threads)");
                    return 0;
                }
                const GpuThread& u = s.threads[static_cast<size_t>(base + other)];
                const bool same_point = u.state == State::AtWarp && u.op == t.op && u.file == t.file
                                        && u.line == t.line && u.mask == t.mask;
                if (!same_point) {
                    fault(s, t, std::string(op_name(t.op)) + " at " + site(t.file, t.line) + ": mask " + mask_text
                                    + " names lane " + std::to_string(other) + ", which "
                                    + (u.state == State::Exited ? std::string("has exited")
                                                                : where_waits(u) + " (diverged)"));
                    return 0;
                }
            }
            if ((t.mask & (1u << lane)) == 0) {
                fault(s, t, std::string(op_name(t.op)) + " at " + site(t.file, t.line) + ": mask " + mask_text
                                + " does not name the calling lane " + std::to_string(lane));
                return 0;
            }
        }
        // every waiting lane's partners have arrived: compute all results, then release
        for (int lane = 0; lane < lanes; lane++) {
            GpuThread& t = s.threads[static_cast<size_t>(base + lane)];
            if (t.state != State::AtWarp) continue;
            if (t.op == WarpOp::Ballot) {
                uint64_t bits = 0;
                for (int other = 0; other < lanes; other++) {
                    if ((t.mask & (1u << other)) != 0 && s.threads[static_cast<size_t>(base + other)].payload != 0) {
                        bits |= 1ull << other;
                    }
                }
                t.result = bits;
            } else if (t.op == WarpOp::SyncWarp) {
                t.result = 0;
            } else {
                const int from = source_lane(t, lane);
                if (from >= 0 && (t.mask & (1u << from)) == 0) {
                    fault(s, t, std::string(op_name(t.op)) + " at " + site(t.file, t.line) + " reads lane "
                                    + std::to_string(from) + ", outside its mask " + hex(t.mask));
                    return 0;
                }
                t.result = from < 0 ? t.payload : s.threads[static_cast<size_t>(base + from)].payload;
            }
        }
        for (int lane = 0; lane < lanes; lane++) {
            GpuThread& t = s.threads[static_cast<size_t>(base + lane)];
            if (t.state == State::AtWarp) {
                t.state = State::Released;
                released++;
            }
        }
    }
    return released;
}

// Releases the block barrier when every live thread waits at it (at one call site). Returns the
// number released; reports a fault for a barrier that can never complete.
int resolve_barrier(BlockState& s) {
    const GpuThread* first = nullptr;
    const GpuThread* elsewhere = nullptr;
    for (int index : s.order) {
        const GpuThread& t = s.threads[static_cast<size_t>(index)];
        if (t.state == State::AtBarrier) {
            if (first == nullptr) {
                first = &t;
            } else if ((t.file != first->file || t.line != first->line) && elsewhere == nullptr) {
                elsewhere = &t;
            }
        } else if (t.state != State::Exited && elsewhere == nullptr) {
            elsewhere = &t;
        }
    }
    if (first == nullptr) return 0;
    if (elsewhere != nullptr) {
        const uint3 other = elsewhere->position.thread;
        fault(s, *first, "__syncthreads at " + site(first->file, first->line) + " is not reached by every live thread: thread ("
                             + std::to_string(other.x) + "," + std::to_string(other.y) + "," + std::to_string(other.z)
                             + ") " + where_waits(*elsewhere));
        return 0;
    }
    int released = 0;
    for (GpuThread& t : s.threads) {
        if (t.state == State::AtBarrier) {
            t.state = State::Released;
            released++;
        }
    }
    return released;
}

std::vector<int> thread_order(int count, int order, uint64_t seed) {
    std::vector<int> indices(static_cast<size_t>(count));
    std::iota(indices.begin(), indices.end(), 0);
    if (order == 1) std::reverse(indices.begin(), indices.end());
    if (order == 2) {
        std::mt19937_64 random(seed);
        std::shuffle(indices.begin(), indices.end(), random);
    }
    return indices;
}

// Fibers of threads that were still waiting when the block faulted are never resumed: their
// stacks start afresh when they are next used.
void abandon_waiting(BlockState& s) {
    for (GpuThread& t : s.threads) {
        if (t.fiber != nullptr && t.state != State::Exited) {
            abandon(t.fiber);
            t.fiber = nullptr;
        }
    }
}

// The section of the __shared__ variables (see kernel_api.hpp); the linker defines its bounds. Weak:
// a program without kernels has no such section.
extern "C" unsigned char __start_snc_emu_shared[] __attribute__((weak, visibility("hidden")));
extern "C" unsigned char __stop_snc_emu_shared[] __attribute__((weak, visibility("hidden")));

// Fills shared memory with the never-written pattern. Not instrumented: under AddressSanitizer the
// section also holds the red zones around each variable, which only the shadow memory guards.
__attribute__((no_sanitize_address)) void poison_shared_memory() {
    unsigned char* at = __start_snc_emu_shared;
    if (at == nullptr) return;
    const size_t bytes = static_cast<size_t>(__stop_snc_emu_shared - at);
    for (size_t i = 0; i + 4 <= bytes; i += 4) {
        const uint32_t word = (i / 4) % 2 == 0 ? kNeverWrittenEven : kNeverWrittenOdd;
        std::memcpy(at + i, &word, 4);
    }
}

// The threads of every block of the launch: positions within the block, and the start order of
// the forward and reverse runs, set up once per launch rather than per block.
void prepare_threads(BlockState& s) {
    const LaunchSpec& spec = *s.run->spec;
    const dim3 b = spec.block;
    const int count = static_cast<int>(b.x * b.y * b.z);
    s.threads.assign(static_cast<size_t>(count), GpuThread());
    for (int i = 0; i < count; i++) {
        GpuThread& t = s.threads[static_cast<size_t>(i)];
        t.linear = i;
        t.position.thread = uint3{static_cast<unsigned>(i) % b.x, (static_cast<unsigned>(i) / b.x) % b.y,
                                  static_cast<unsigned>(i) / (b.x * b.y)};
        t.position.block_dim = b;
        t.position.grid_dim = spec.grid;
    }
    s.order = thread_order(count, s.run->order, s.run->seed);
}

bool run_block(BlockState& s, uint3 block) {
    poison_shared_memory();
    const int count = static_cast<int>(s.threads.size());
    for (GpuThread& t : s.threads) {
        t.position.block = block;
        t.state = State::Unstarted;
        t.fiber = nullptr;
    }
    if (s.run->order == 2) {  // a shuffle of its own for every block
        s.order = thread_order(count, 2,
                               s.run->seed ^ (static_cast<uint64_t>(block.x) * 0x9E3779B97F4A7C15ull + block.y * 131u + block.z));
    }
    s.next_start = 0;
    s.live = count;
    while (s.next_start < s.order.size() && !s.faulted) enter(s.scheduler, take_fiber());
    while (!s.faulted && s.live > 0) {
        int released = resolve_warps(s);
        if (released == 0 && !s.faulted) released = resolve_barrier(s);
        if (s.faulted) break;
        if (released == 0) {  // nothing waits, yet threads are live: cannot happen; guard against a hang
            fault(s, s.threads[0], "no thread can proceed (emulator scheduling error)");
            break;
        }
        for (int index : s.order) {
            GpuThread& t = s.threads[static_cast<size_t>(index)];
            if (t.state != State::Released) continue;
            t.state = State::Running;
            s.running = &t;
            current_position = &t.position;
            enter(s.scheduler, t.fiber);
            if (s.faulted) break;
        }
    }
    if (s.faulted) abandon_waiting(s);
    s.running = nullptr;
    current_position = nullptr;
    return !s.faulted;
}

// ---- the signalling-NaN trap ---------------------------------------------------------------

constexpr unsigned kMxcsrInvalidMask = 1u << 7;
constexpr unsigned kMxcsrFlags = 0x3Fu;

void on_floating_point_exception(int, siginfo_t*, void* context) {
    BlockState* s = block_state;
    auto* uc = static_cast<ucontext_t*>(context);
    // Mask the exception in the interrupted code's MXCSR so that the instruction, re-executed on
    // return, yields a quiet NaN; the rest of the launch runs with the trap masked (the fault is
    // reported once, and the launch ends after this block).
    uc->uc_mcontext.fpregs->mxcsr = (uc->uc_mcontext.fpregs->mxcsr | kMxcsrInvalidMask) & ~kMxcsrFlags;
    if (s == nullptr || s->running == nullptr || s->faulted) return;
    const GpuThread& t = *s->running;
    report_fault(cudaErrorIllegalAddress,
                 describe_site(s->run->spec->kernel, t.position.block, t.position.thread)
                     + ": invalid floating-point operation on a signalling NaN: a read of device memory that was never written");
    s->faulted = true;  // ends the launch after this block; the thread itself cannot be stopped here
}

#if SNC_EMU_ASAN
// AddressSanitizer names the faulting instruction's function; this names the GPU thread.
void on_sanitizer_death() {
    const BlockState* s = block_state;
    if (s == nullptr || s->running == nullptr) return;
    const GpuThread& t = *s->running;
    std::fprintf(stderr, "snc-emu: the sanitizer's report above is from %s\n",
                 describe_site(s->run->spec->kernel, t.position.block, t.position.thread).c_str());
}
#endif

}  // namespace

void sync_block(const char* file, int line) {
    GpuThread& t = running_thread("__syncthreads");
    t.state = State::AtBarrier;
    t.file = file;
    t.line = line;
    wait_here(t);
}

uint64_t warp_collective(WarpOp op, unsigned mask, uint64_t payload, int parameter, int width, const char* file,
                         int line) {
    GpuThread& t = running_thread(op_name(op));
    if (width <= 0 || width > kWarp || (width & (width - 1)) != 0) {
        fault(*block_state, t, std::string(op_name(op)) + " at " + site(file, line) + ": width "
                                   + std::to_string(width) + " is not a power of two up to 32");
        width = kWarp;
    }
    t.state = State::AtWarp;
    t.op = op;
    t.mask = mask;
    t.payload = payload;
    t.parameter = parameter;
    t.width = width;
    t.file = file;
    t.line = line;
    wait_here(t);
    return t.result;
}

unsigned active_lanes() {
    const GpuThread& t = running_thread("__activemask");
    const BlockState& s = *block_state;
    const int base = (t.linear / kWarp) * kWarp;
    const int lanes = std::min(kWarp, static_cast<int>(s.threads.size()) - base);
    unsigned mask = 0;
    for (int lane = 0; lane < lanes; lane++) {
        if (s.threads[static_cast<size_t>(base + lane)].state != State::Exited) mask |= 1u << lane;
    }
    return mask;
}

bool run_grid(GridRun& run) {
#if SNC_EMU_ASAN
    static const bool registered = (__sanitizer_set_death_callback(on_sanitizer_death), true);
    (void)registered;
#endif
    BlockState state;
    BlockState* outer = block_state;
    block_state = &state;
    state.run = &run;
    // One floating-point mode for every GPU thread of the launch (fibers do not switch it): the
    // host's, with the invalid-operation trap unmasked when signalling NaNs are to be reported.
    const unsigned host_mxcsr = _mm_getcsr();
    unsigned thread_mxcsr = host_mxcsr & ~kMxcsrFlags;
    struct sigaction previous {};
    if (settings().trap_signalling_nan) {
        struct sigaction action {};
        action.sa_sigaction = on_floating_point_exception;
        action.sa_flags = SA_SIGINFO;
        sigemptyset(&action.sa_mask);
        sigaction(SIGFPE, &action, &previous);
        thread_mxcsr &= ~kMxcsrInvalidMask;
    }
    _mm_setcsr(thread_mxcsr);
    prepare_threads(state);
    const dim3 g = run.spec->grid;
    const uint64_t blocks = static_cast<uint64_t>(g.x) * g.y * g.z;
    // The shuffled order visits block (i * step + seed) mod blocks: a permutation for a step coprime to the count.
    uint64_t step = 1;
    if (run.order == 2 && blocks > 1) {
        step = (run.seed | 1u) % blocks;
        while (std::gcd(step, blocks) != 1) step = step + 1 < blocks ? step + 1 : 1;
    }
    bool ok = true;
    for (uint64_t i = 0; i < blocks && ok; i++) {
        uint64_t linear = i;
        if (run.order == 1) linear = blocks - 1 - i;
        if (run.order == 2) linear = (i * step + run.seed) % blocks;  // i * step < 2^64 for any real grid
        const uint3 block{static_cast<unsigned>(linear % g.x), static_cast<unsigned>((linear / g.x) % g.y),
                          static_cast<unsigned>(linear / (static_cast<uint64_t>(g.x) * g.y))};
        ok = run_block(state, block);
    }
    if (settings().trap_signalling_nan) sigaction(SIGFPE, &previous, nullptr);
    _mm_setcsr(host_mxcsr);
    // parked fibers stay in this host thread's pool for the next launch
    block_state = outer;
    return ok;
}

}  // namespace snc_emu
