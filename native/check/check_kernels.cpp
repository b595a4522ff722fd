// check-kernels (main): checks every CUDA kernel through the C API against float64 (or exact
// integer) loops, without Java: the check to run on a GPU host that has only the driver, and on the
// emulated device. One line per check ("PASS name sizes max_err=... tol=..." or "FAIL ...", the
// element with the largest error relative to its tolerance), then "N passed, M failed".
// Exit status 0: all pass; 1: a mismatch or API error; 77: nothing to check on (no driver or no
// device; the reason is printed).
//
//   check-kernels [seed] [--only FAMILY]...   run the checks (seed: decimal, default the time)
//   check-kernels --list                      print the __global__ kernels the checks cover
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <set>
#include <string>

#include "check.hpp"

namespace {

const std::vector<const check::Family*>& families() {
    static const std::vector<const check::Family*> all = {
        &check::elementwise_family(), &check::gated_family(),   &check::conv_family(),
        &check::layers_family(),      &check::head_family(),    &check::metrics_family(),
        &check::runtime_family()};
    return all;
}

int usage() {
    std::fprintf(stderr, "usage: check-kernels [seed] [--only FAMILY]... | --list\nfamilies:");
    for (const check::Family* f : families()) std::fprintf(stderr, " %s", f->name);
    std::fprintf(stderr, "\n");
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    unsigned long long seed = static_cast<unsigned long long>(std::time(nullptr));
    std::set<std::string> only;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--list") == 0) {
            std::set<std::string> kernels;  // sorted, each once
            for (const check::Family* f : families()) kernels.insert(f->kernels.begin(), f->kernels.end());
            for (const std::string& k : kernels) std::printf("%s\n", k.c_str());
            return 0;
        } else if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
            only.insert(argv[++i]);
        } else {
            char* end = nullptr;
            seed = std::strtoull(argv[i], &end, 10);
            if (end == argv[i] || *end != '\0') return usage();
        }
    }
    check::rng.seed(seed);

    char reason[512];
    if (snc_driver_probe(reason, sizeof reason) != SNC_OK) {
        std::printf("skip: NVIDIA driver not found (%s)\n", reason);
        return 77;
    }
    int devices = 0;
    const int status = snc_device_count(&devices);
    if (status != SNC_OK || devices == 0) {
        std::printf("skip: no CUDA device (%s)\n", snc_status_string(status));
        return 77;
    }
    char name[256];
    int major = 0, minor = 0, multiprocessors = 0;
    if (snc_device_properties(0, name, sizeof name, &major, &minor, &multiprocessors) != SNC_OK ||
        snc_context_create(0, &check::context) != SNC_OK) {
        std::printf("FAIL setup: cannot open device 0\n0 passed, 1 failed\n");
        return 1;
    }
    std::printf("device 0: %s, compute capability %d.%d, %d SMs; seed %llu\n", name, major, minor, multiprocessors,
                seed);
    std::fflush(stdout);

    const auto start = std::chrono::steady_clock::now();
    for (const check::Family* f : families()) {
        if (only.empty() || only.count(f->name) > 0) f->run();
    }
    const int destroyed = snc_context_destroy(check::context);
    if (destroyed != SNC_OK) {
        std::printf("FAIL snc_context_destroy: %s\n", snc_status_string(destroyed));
        ++check::failed;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("seed %llu, %.1f s\n", seed, seconds);
    std::printf("%d passed, %d failed\n", check::passed, check::failed);
    std::fflush(stdout);  // before any exit-time handler (a sanitizer's leak report) ends the process
    return check::failed == 0 ? 0 : 1;
}
