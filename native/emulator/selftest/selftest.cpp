// The emulated device's detectors, tested: each faulty kernel of detector_kernels.cu must be
// reported with its kernel and thread, and the same kernel fixed must run clean and compute the
// right values. Every case runs in a child process (an AddressSanitizer report ends the process).
//
//   emulator-selftest            runs every case; prints PASS/FAIL lines and "N passed, M failed"
//   emulator-selftest CASE       runs one case in this process (what the parent execs)
// Exit status: 0 when every case behaved as expected, 1 otherwise.
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "detector_kernels.cuh"
#include "snc_emu/control.h"

namespace {

constexpr int kN = 64;
constexpr int kFaultExit = 3;  // the case's kernel faulted (the report is on stderr)
constexpr int kWrongExit = 4;  // the case ran clean but computed wrong values

std::vector<float> random_floats(int n) {
    std::random_device seed_source;
    const unsigned seed = seed_source();
    std::mt19937 random(seed);
    std::uniform_real_distribution<float> value(-1.0f, 1.0f);
    std::vector<float> x(static_cast<size_t>(n));
    for (float& v : x) v = value(random);
    return x;
}

template <typename T>
T* device_copy(const std::vector<T>& host) {
    void* pointer = nullptr;
    if (cudaMalloc(&pointer, host.size() * sizeof(T)) != cudaSuccess) std::exit(2);
    if (cudaMemcpy(pointer, host.data(), host.size() * sizeof(T), cudaMemcpyHostToDevice) != cudaSuccess) std::exit(2);
    return static_cast<T*>(pointer);
}

template <typename T>
T* device_buffer(int n) {
    void* pointer = nullptr;
    if (cudaMalloc(&pointer, static_cast<size_t>(n) * sizeof(T)) != cudaSuccess) std::exit(2);
    return static_cast<T*>(pointer);
}

template <typename T>
std::vector<T> host_copy(const T* device, int n) {
    std::vector<T> host(static_cast<size_t>(n));
    const cudaError_t status = cudaMemcpy(host.data(), device, host.size() * sizeof(T), cudaMemcpyDeviceToHost);
    if (status != cudaSuccess) {
        std::fprintf(stderr, "copy to host: %s\n", cudaGetErrorString(status));
        std::exit(snc_emu_fault_count() > 0 ? kFaultExit : 2);
    }
    return host;
}

// Ends the case: a fault reported by the emulator exits kFaultExit, else the check decides.
int finish(bool right) {
    if (cudaDeviceSynchronize() != cudaSuccess || snc_emu_fault_count() > 0) return kFaultExit;
    return right ? 0 : kWrongExit;
}

int neighbour_sum(bool fixed) {
    const std::vector<float> x = random_floats(kN);
    float* dx = device_copy(x);
    float* dy = device_buffer<float>(kN);
    if (launch_neighbour_sum(dx, dy, fixed) != cudaSuccess) return 2;
    const std::vector<float> y = host_copy(dy, kN);
    bool right = true;
    for (int t = 0; t < kN; t++) right = right && y[t] == x[t] + x[(t + 1) % kN];
    return finish(right);
}

int shared_winner(bool fixed) {
    int* dy = device_buffer<int>(kN);
    if (launch_shared_winner(dy, fixed) != cudaSuccess) return 2;
    const std::vector<int> y = host_copy(dy, kN);
    bool right = true;
    for (int t = 0; t < kN; t++) right = right && y[t] == 0;
    return finish(right);
}

int shifted_copy(bool fixed) {
    const std::vector<float> x = random_floats(kN);
    float* dx = device_copy(x);
    float* dy = device_buffer<float>(kN);
    if (launch_shifted_copy(dx, dy, kN, fixed ? 0 : 1) != cudaSuccess) return 2;
    const std::vector<float> y = host_copy(dy, kN);
    return finish(y == x);
}

int shifted_store(bool fixed) {
    float* dy = device_buffer<float>(kN);
    if (launch_shifted_store(dy, kN, fixed ? 0 : 1) != cudaSuccess) return 2;
    const std::vector<float> y = host_copy(dy, kN);
    bool right = true;
    for (int t = 0; t < kN; t++) right = right && y[t] == 1.0f;
    cudaFree(dy);  // the guard check on release reports a damaged guard without AddressSanitizer
    return finish(right);
}

int half_warp_shuffle(bool fixed) {
    const std::vector<float> x = random_floats(32);
    float* dx = device_copy(x);
    float* dy = device_copy(std::vector<float>(32, 0.0f));
    if (launch_half_warp_shuffle(dx, dy, fixed) != cudaSuccess) return 2;
    const std::vector<float> y = host_copy(dy, 32);
    bool right = true;
    for (int t = 0; t < 16; t++) right = right && y[t] == (t + 1 < 16 ? x[t + 1] : x[t]);
    return finish(right);
}

int divergent_barrier(bool fixed) {
    const std::vector<float> x = random_floats(kN);
    float* dx = device_copy(x);
    float* dy = device_buffer<float>(kN);
    if (launch_divergent_barrier(dx, dy, fixed) != cudaSuccess) return 2;
    const std::vector<float> y = host_copy(dy, kN);
    bool right = true;
    for (int t = 0; t < kN; t++) right = right && y[t] == x[t] * 2.0f;
    return finish(right);
}

// Run with SNC_EMU_TRAP_SNAN=1 (the parent sets it): arithmetic on the fill pattern traps.
int uninitialised_read(bool fixed) {
    const std::vector<float> x = random_floats(kN);
    float* dx = fixed ? device_copy(x) : device_buffer<float>(kN);
    float* dy = device_buffer<float>(kN);
    if (launch_double(dx, dy, kN) != cudaSuccess) return 2;
    const std::vector<float> y = host_copy(dy, kN);
    bool right = true;
    for (int t = 0; t < kN; t++) right = right && y[t] == x[t] * 2.0f;
    return finish(right);
}

int warp_sum() {
    const std::vector<float> x = random_floats(kN);
    float* dx = device_copy(x);
    float* dy = device_buffer<float>(2);
    unsigned* dvotes = device_buffer<unsigned>(2);
    if (launch_warp_sum(dx, dy, dvotes) != cudaSuccess) return 2;
    const std::vector<float> y = host_copy(dy, 2);
    const std::vector<unsigned> votes = host_copy(dvotes, 2);
    bool right = true;
    for (int w = 0; w < 2; w++) {
        // the shuffle tree's order: lane l adds lane l + offset for offset 16, 8, 4, 2, 1
        float lanes[32];
        unsigned ballot = 0;
        for (int l = 0; l < 32; l++) {
            lanes[l] = x[static_cast<size_t>(32 * w + l)];
            if (lanes[l] > 0.0f) ballot |= 1u << l;
        }
        for (int offset = 16; offset > 0; offset >>= 1) {
            for (int l = 0; l < 32; l++) lanes[l] += l + offset < 32 ? lanes[l + offset] : lanes[l];
        }
        right = right && y[static_cast<size_t>(w)] == lanes[0] && votes[static_cast<size_t>(w)] == ballot;
    }
    return finish(right);
}

// A block larger than the kernel's __launch_bounds__, and one larger than any block, are refused.
int launch_limits() {
    float* dx = device_copy(random_floats(kN));
    float* dy = device_buffer<float>(kN);
    const bool bounds = launch_double_with_block(dx, dy, kN, 128) == cudaErrorLaunchOutOfResources;
    const bool too_large = launch_double_with_block(dx, dy, kN, 2048) == cudaErrorInvalidConfiguration;
    const bool still_fine = launch_double_with_block(dx, dy, kN, 64) == cudaSuccess;
    return finish(bounds && too_large && still_fine);
}

// What capture forbids fails and invalidates the recording; a recorded launch replays with the
// data present at replay time.
int capture_rules() {
    cudaStream_t stream = nullptr;
    if (cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking) != cudaSuccess) return 2;
    float* dy = device_buffer<float>(kN);
    bool right = cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal) == cudaSuccess;
    right = right && cudaStreamSynchronize(stream) == cudaErrorStreamCaptureUnsupported;
    cudaGraph_t graph = nullptr;
    right = right && cudaStreamEndCapture(stream, &graph) == cudaErrorStreamCaptureInvalidated && graph == nullptr;
    right = right && cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal) == cudaSuccess;
    right = right && cudaFreeAsync(dy, stream) == cudaErrorInvalidValue;
    right = right && cudaStreamEndCapture(stream, &graph) == cudaErrorStreamCaptureInvalidated;
    cudaGetLastError();
    return finish(right);
}

struct Case {
    const char* name;
    std::function<int()> run;
    bool expect_fault;
    std::vector<const char*> expected;  // in the child's output when it faults
    bool trap;                          // run with SNC_EMU_TRAP_SNAN=1
};

std::vector<Case> cases() {
    return {
        {"missing-syncthreads", [] { return neighbour_sum(false); }, true,
         {"neighbour_sum_kernel", "data race", "thread ("}, false},
        {"missing-syncthreads-fixed", [] { return neighbour_sum(true); }, false, {}, false},
        {"racy-shared-update", [] { return shared_winner(false); }, true,
         {"shared_winner_kernel", "data race", "last written by block (0,0,0) thread ("}, false},
        {"racy-shared-update-fixed", [] { return shared_winner(true); }, false, {}, false},
        {"read-past-buffer", [] { return shifted_copy(false); }, true,
         {"shifted_copy_kernel block (0,0,0) thread (63,0,0)"}, false},
        {"read-past-buffer-fixed", [] { return shifted_copy(true); }, false, {}, false},
        {"write-past-buffer", [] { return shifted_store(false); }, true, {"shifted_store_kernel"}, false},
        {"write-past-buffer-fixed", [] { return shifted_store(true); }, false, {}, false},
        {"shuffle-after-half-warp-returned", [] { return half_warp_shuffle(false); }, true,
         {"half_warp_shuffle_kernel block (0,0,0) thread (", "__shfl_down_sync", "has exited"}, false},
        {"shuffle-after-half-warp-returned-fixed", [] { return half_warp_shuffle(true); }, false, {}, false},
        {"divergent-syncthreads", [] { return divergent_barrier(false); }, true,
         {"divergent_barrier_kernel block (0,0,0) thread (", "__syncthreads", "not reached by every live thread"},
         false},
        {"divergent-syncthreads-fixed", [] { return divergent_barrier(true); }, false, {}, false},
        {"uninitialised-read", [] { return uninitialised_read(false); }, true,
         {"double_kernel block (0,0,0) thread (", "signalling NaN"}, true},
        {"uninitialised-read-fixed", [] { return uninitialised_read(true); }, false, {}, true},
        {"warp-shuffle-and-ballot", [] { return warp_sum(); }, false, {}, false},
        {"launch-limits", [] { return launch_limits(); }, false, {}, false},
        {"capture-rules", [] { return capture_rules(); }, false, {}, false},
    };
}

// Runs `self NAME` with stdout and stderr captured; returns the exit status (128 + signal when killed).
int run_child(const char* self, const Case& c, std::string* output) {
    int pipe_ends[2];
    if (pipe(pipe_ends) != 0) return -1;
    const pid_t child = fork();
    if (child == 0) {
        dup2(pipe_ends[1], STDOUT_FILENO);
        dup2(pipe_ends[1], STDERR_FILENO);
        close(pipe_ends[0]);
        if (c.trap) setenv("SNC_EMU_TRAP_SNAN", "1", 1);
        // a faulty case's allocations are not freed: the report of interest is the fault, not a leak
        setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
        execl(self, self, c.name, static_cast<char*>(nullptr));
        _exit(127);
    }
    close(pipe_ends[1]);
    char buffer[4096];
    ssize_t got;
    while ((got = read(pipe_ends[0], buffer, sizeof buffer)) > 0) output->append(buffer, static_cast<size_t>(got));
    close(pipe_ends[0]);
    int status = 0;
    waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<Case> all = cases();
    if (argc == 2) {
        for (const Case& c : all) {
            if (std::strcmp(c.name, argv[1]) == 0) return c.run();
        }
        std::fprintf(stderr, "emulator-selftest: no case %s\n", argv[1]);
        return 2;
    }
    int passed = 0;
    int failed = 0;
    for (const Case& c : all) {
        std::string output;
        const int status = run_child(argv[0], c, &output);
        std::string problem;
        if (c.expect_fault) {
            if (status == 0) problem = "no fault was reported";
            if (status == kWrongExit) problem = "ran clean with wrong values; no fault was reported";
            for (const char* text : c.expected) {
                if (problem.empty() && output.find(text) == std::string::npos) {
                    problem = std::string("the report lacks \"") + text + "\"";
                }
            }
        } else if (status != 0) {
            problem = status == kWrongExit ? "wrong values" : "exit status " + std::to_string(status);
        }
        if (problem.empty()) {
            passed++;
            std::printf("PASS %s\n", c.name);
        } else {
            failed++;
            std::printf("FAIL %s: %s\n", c.name, problem.c_str());
            std::printf("---- its output ----\n%s--------------------\n", output.c_str());
        }
        if (c.expect_fault && problem.empty()) {
            const size_t at = output.find("snc-emu:");
            const size_t end = at == std::string::npos ? at : output.find('\n', at);
            if (at != std::string::npos) std::printf("     %s\n", output.substr(at, end - at).c_str());
        }
    }
    std::printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
