// Kernel launches on the emulated device: the checks a GPU makes before a launch, recording while
// the stream is captured, and the run itself with the race check.
//
// Race check: the grid runs once with blocks and threads in forward order and once in reverse
// order (and, with SNC_EMU_SHUFFLE_SEED, once more shuffled), each time from the same memory
// contents; any output bit that differs between the orders depends on scheduling: a missing
// __syncthreads, a racy shared-memory update, or two threads writing one element. The memory a
// launch may write is what its writable pointer arguments point into (every live allocation when
// an argument is an address table); it is snapshotted before the first run and restored before
// the next. For a race, one more run per order watches the first differing element and names the
// last thread that wrote it.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>

#include "internal.hpp"

namespace snc_emu {

namespace {

constexpr unsigned kMaxThreadsPerBlock = 1024;
constexpr unsigned kMaxBlockZ = 64;
constexpr unsigned kMaxGridX = 0x7FFFFFFFu;
constexpr unsigned kMaxGridYZ = 65535;
constexpr size_t kMaxSharedBytes = 227 * 1024;  // sm_90's opt-in maximum per block

cudaError_t validate(const LaunchSpec& spec) {
    const dim3 b = spec.block;
    const dim3 g = spec.grid;
    if (b.x == 0 || b.y == 0 || b.z == 0 || g.x == 0 || g.y == 0 || g.z == 0) return cudaErrorInvalidConfiguration;
    if (b.x > kMaxThreadsPerBlock || b.y > kMaxThreadsPerBlock || b.z > kMaxBlockZ
        || static_cast<uint64_t>(b.x) * b.y * b.z > kMaxThreadsPerBlock) {
        return cudaErrorInvalidConfiguration;
    }
    if (g.x > kMaxGridX || g.y > kMaxGridYZ || g.z > kMaxGridYZ) return cudaErrorInvalidConfiguration;
    if (spec.shared_bytes > kMaxSharedBytes) return cudaErrorInvalidValue;
    // A block larger than the kernel's __launch_bounds__ cannot be launched: the kernel was
    // compiled for at most that many threads' registers.
    if (static_cast<uint64_t>(b.x) * b.y * b.z > static_cast<uint64_t>(spec.max_threads)) {
        return cudaErrorLaunchOutOfResources;
    }
    return cudaSuccess;
}

using Snapshot = std::vector<std::vector<unsigned char>>;

Snapshot take(const std::vector<Region>& regions) {
    Snapshot copy;
    copy.reserve(regions.size());
    for (const Region& r : regions) copy.emplace_back(r.base, r.base + r.size);
    return copy;
}

void put(const std::vector<Region>& regions, const Snapshot& copy) {
    for (size_t i = 0; i < regions.size(); i++) std::memcpy(regions[i].base, copy[i].data(), regions[i].size);
}

// The first byte that differs between the memory now and `other`: region index and offset.
bool first_difference(const std::vector<Region>& regions, const Snapshot& other, size_t* region, size_t* offset) {
    for (size_t i = 0; i < regions.size(); i++) {
        if (std::memcmp(regions[i].base, other[i].data(), regions[i].size) == 0) continue;
        for (size_t j = 0; j < regions[i].size; j++) {
            if (regions[i].base[j] != other[i][j]) {
                *region = i;
                *offset = j;
                return true;
            }
        }
    }
    return false;
}

const char* order_name(int order) { return order == 0 ? "forward" : order == 1 ? "reverse" : "shuffled"; }

std::string thread_text(const GridRun& run) {
    if (!run.writer_found) return "no thread wrote it";
    char text[96];
    std::snprintf(text, sizeof text, "last written by block (%u,%u,%u) thread (%u,%u,%u)", run.last_writer.block.x,
                  run.last_writer.block.y, run.last_writer.block.z, run.last_writer.thread.x,
                  run.last_writer.thread.y, run.last_writer.thread.z);
    return text;
}

// Reruns both orders from `before`, watching the 4 bytes (aligned) around the first difference,
// and reports the race with the threads that wrote them last.
void report_race(const LaunchSpec& spec, const KernelCall& call, const std::vector<Region>& regions,
                 const Snapshot& before, int order, size_t region, size_t offset) {
    const size_t aligned = offset / 4 * 4;
    const size_t bytes = std::min<size_t>(4, regions[region].size - aligned);
    const unsigned char* address = regions[region].base + aligned;
    GridRun runs[2] = {GridRun{&spec, &call, 0, settings().shuffle_seed},
                       GridRun{&spec, &call, order, settings().shuffle_seed}};
    uint32_t values[2] = {0, 0};
    for (int i = 0; i < 2; i++) {
        put(regions, before);
        runs[i].watch = address;
        runs[i].watch_bytes = bytes;
        std::memcpy(runs[i].watch_seen, address, bytes);
        run_grid(runs[i]);
        std::memcpy(&values[i], address, bytes);
    }
    char text[512];
    std::snprintf(text, sizeof text,
                  "kernel %s: result depends on thread order (a data race): bytes %zu..%zu of the %zu-byte "
                  "allocation at %p are 0x%08x in forward order (%s) and 0x%08x in %s order (%s)",
                  spec.kernel, aligned, aligned + bytes - 1, regions[region].size,
                  static_cast<const void*>(regions[region].base), values[0], thread_text(runs[0]).c_str(), values[1],
                  order_name(order), thread_text(runs[1]).c_str());
    report_fault(cudaErrorLaunchFailure, text);
}

// SNC_EMU_PROFILE=FILE: per kernel, launches, GPU threads run and host seconds, appended to FILE at exit.
struct KernelProfile {
    uint64_t launches = 0;
    uint64_t threads = 0;
    double seconds = 0;
};

std::map<std::string, KernelProfile>& profiles() {
    static auto* table = new std::map<std::string, KernelProfile>();
    return *table;
}

void print_profile() {
    std::vector<std::pair<std::string, KernelProfile>> rows(profiles().begin(), profiles().end());
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second.seconds > b.second.seconds; });
    std::FILE* out = std::fopen(settings().profile.c_str(), "a");
    if (out == nullptr) return;
    std::fprintf(out, "%-36s %10s %14s %10s\n", "kernel", "launches", "threads", "seconds");
    for (const auto& [name, p] : rows) {
        std::fprintf(out, " %-36s %10llu %14llu %10.3f\n", name.c_str(),
                     static_cast<unsigned long long>(p.launches), static_cast<unsigned long long>(p.threads), p.seconds);
    }
    std::fclose(out);
}

void run_checked(const LaunchSpec& spec, const KernelCall& call);

// Whether this launch gets the race check: a race shows in the first launches of a kernel with a
// given shape as well as in later ones with other data, so sampling keeps most of the detection
// at a fraction of the cost.
bool sampled(const LaunchSpec& spec) {
    switch (settings().race_check) {
        case Settings::RaceCheck::All: return true;
        case Settings::RaceCheck::Off: return false;
        case Settings::RaceCheck::Sample: break;
    }
    static std::map<std::string, uint64_t> launches;
    char key[160];
    std::snprintf(key, sizeof key, "%s/%u,%u,%u/%u,%u,%u", spec.kernel, spec.grid.x, spec.grid.y, spec.grid.z,
                  spec.block.x, spec.block.y, spec.block.z);
    const uint64_t n = launches[key]++;
    return n < 4 || n % 8 == 0;
}

void execute(const LaunchSpec& spec, const KernelCall& call) {
    if (settings().profile.empty()) {
        run_checked(spec, call);
        return;
    }
    static const bool registered = (std::atexit(print_profile), true);
    (void)registered;
    const auto start = std::chrono::steady_clock::now();
    run_checked(spec, call);
    KernelProfile& p = profiles()[spec.kernel];
    p.launches++;
    p.threads += static_cast<uint64_t>(spec.grid.x) * spec.grid.y * spec.grid.z * spec.block.x * spec.block.y * spec.block.z;
    p.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void run_checked(const LaunchSpec& spec, const KernelCall& call) {
    std::vector<PointerArgument> arguments;
    call.pointer_arguments(arguments);
    std::vector<Region> regions;
    const bool checked = writable_regions(arguments, settings().race_check_max_bytes, regions);
    const bool race_check = sampled(spec) && checked && !regions.empty();
    const bool all_guards = !checked || std::any_of(arguments.begin(), arguments.end(),
                                                    [](const PointerArgument& a) { return a.indirect; });
    Snapshot before;
    if (race_check) before = take(regions);
    GridRun forward{&spec, &call, 0, settings().shuffle_seed};
    bool ok = run_grid(forward);
    if (ok) ok = check_guards(spec.kernel, all_guards ? nullptr : &regions);
    if (!ok || !race_check) return;
    const Snapshot result = take(regions);
    const int last_order = settings().shuffle_seed != 0 ? 2 : 1;
    for (int order = 1; order <= last_order && ok; order++) {
        put(regions, before);
        GridRun other{&spec, &call, order, settings().shuffle_seed};
        ok = run_grid(other);
        size_t region = 0;
        size_t offset = 0;
        if (ok && first_difference(regions, result, &region, &offset)) {
            report_race(spec, call, regions, before, order, region, offset);
            ok = false;
        }
    }
    put(regions, result);  // the forward order's result stands
}

}  // namespace

void submit(const LaunchSpec& spec, std::shared_ptr<const KernelCall> call) {
    std::lock_guard<std::recursive_mutex> guard(device_lock());
    if (sticky_error() != cudaSuccess) {
        fail(sticky_error());
        return;
    }
    auto* stream = static_cast<cudaStream_t>(spec.stream);
    if (!valid_stream(stream)) {
        fail(cudaErrorInvalidResourceHandle);
        return;
    }
    const cudaError_t status = validate(spec);
    if (status != cudaSuccess) {
        fail(status);
        return;
    }
    const LaunchSpec kept = spec;
    auto operation = [kept, call] {
        if (sticky_error() == cudaSuccess) execute(kept, *call);
    };
    if (!record_if_capturing(stream, operation)) operation();
}

}  // namespace snc_emu
