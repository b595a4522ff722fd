// Shared pieces of check-kernels (main in check_kernels.cpp): device buffers that free
// themselves, seeded random inputs, the comparison that turns into one PASS / FAIL line per check,
// and the float32 rounding bounds the tolerances are built from.
//
// Tolerance conventions, used by every family:
//  - A kernel whose result is one rounded float32 operation per element (or a fixed chain of
//    explicit fmaf calls) is replayed on the host with the same float32 operations and compared
//    bit for bit (tolerance 0). Build with -ffp-contract=off (or for a target without FMA
//    instructions), so that the replay rounds exactly where the kernel does.
//  - A reduction is compared with a float64 (or long double) reference and a bound from
//    rounding error analysis: recursive summation of K terms in a format with unit roundoff u
//    errs by at most K * u * sum|terms| (in any order and any tree), and every final rounding to
//    float32 adds kU32 * |result|. Those bounds are a few ulps for typical data, far below the
//    error of a wrong index or a missing term.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "spidernet_cuda.h"

namespace check {

constexpr double kU32 = 0x1p-24;  // unit roundoff of float32 (half an ulp, relative)
constexpr double kU64 = 0x1p-53;  // unit roundoff of float64
// Slack on derived bounds for the second-order terms (products of two roundoffs) they leave out.
constexpr double kSlack = 1.01;

extern std::mt19937_64 rng;
extern snc_context* context;

// A failing API call: the check that made it is reported as FAIL with the status, and the run
// goes on with the next check.
struct ApiError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Throws ApiError unless status is SNC_OK.
void call(int status, const char* what);

// One device allocation, freed on scope exit (also when a check throws).
class Buffer {
public:
    explicit Buffer(int64_t bytes);
    template <typename T>
    explicit Buffer(const std::vector<T>& host) : Buffer(static_cast<int64_t>(host.size() * sizeof(T))) {
        write(host);
    }
    Buffer(const Buffer&) = delete;
    Buffer& operator=(const Buffer&) = delete;
    ~Buffer();

    void* get() const { return pointer_; }
    float* f() const { return static_cast<float*>(pointer_); }
    double* d() const { return static_cast<double*>(pointer_); }
    int64_t address() const { return static_cast<int64_t>(reinterpret_cast<uintptr_t>(pointer_)); }

    template <typename T>
    void write(const std::vector<T>& host) {
        call(snc_copy_to_device(context, pointer_, host.data(), static_cast<int64_t>(host.size() * sizeof(T))),
             "snc_copy_to_device");
    }
    template <typename T>
    std::vector<T> read(size_t n) const {
        std::vector<T> host(n);
        call(snc_copy_to_host(context, host.data(), pointer_, static_cast<int64_t>(n * sizeof(T))), "snc_copy_to_host");
        return host;
    }

private:
    void* pointer_ = nullptr;
};

// Uniform in [lo, hi) without exact zeros, so that an output left unwritten cannot pass.
std::vector<float> random_floats(size_t n, float lo = -1.0f, float hi = 1.0f);
int random_int(int lo, int hi);  // inclusive
// n copies of a quiet NaN: the initial content of overwritten outputs (an unwritten one fails).
std::vector<float> nan_floats(size_t n);
std::vector<double> nan_doubles(size_t n);

// Collects the element comparisons of one check and prints its line.
class Comparison {
public:
    // |got - expected| <= tol; a NaN on either side fails.
    void near(const char* what, size_t index, double expected, double got, double tol);
    // Bit for bit (two NaNs count as equal: payloads are not part of any contract).
    void exact(const char* what, size_t index, float expected, float got);
    void exact(const char* what, size_t index, double expected, double got);
    // A condition that is not an element comparison (a status code, a NaN loss).
    void expect(bool ok, const std::string& message);

    // Prints "PASS name sizes max_err=... tol=..." (the element with the largest err/tol) or FAIL.
    void report(const std::string& name, const std::string& sizes) const;

private:
    void record(double err, double tol, bool ok);
    void mismatch(const std::string& message);
    int mismatches_ = 0;
    double worst_ratio_ = -1.0;
    double worst_err_ = 0.0;
    double worst_tol_ = 0.0;
};

// Runs one check body, turning an ApiError into a FAIL line.
template <typename Body>
void run_check(const std::string& name, const std::string& sizes, Body body) {
    try {
        Comparison c;
        body(c);
        c.report(name, sizes);
    } catch (const ApiError& e) {
        Comparison c;
        c.expect(false, e.what());
        c.report(name, sizes);
    }
}

// "a=1,b=2" from (name, value) pairs: the sizes field of a check line.
std::string sizes(std::initializer_list<std::pair<const char*, long long>> fields);

// Float32 rounding of a value computed (in float64) with absolute error at most `error`:
// the stored float is within kU32 * (|exact| + error) + error of the exact value.
inline double rounded_tol(double exact, double error) { return kSlack * (kU32 * std::fabs(exact) + 2.0 * error); }

// Recursive float32 summation of `terms` terms with absolute sum `magnitude`.
inline double sum32_tol(int64_t terms, double magnitude) {
    return kSlack * static_cast<double>(terms) * kU32 * magnitude;
}

// Recursive float64 summation of `terms` terms with absolute sum `magnitude`.
inline double sum64_error(int64_t terms, double magnitude) {
    return static_cast<double>(terms + 1) * kU64 * magnitude;
}

// Totals of the run, kept by Comparison::report.
extern int passed;
extern int failed;

// A check family: its name (for --only), the __global__ kernels its checks launch, and its checks.
struct Family {
    const char* name;
    std::vector<const char*> kernels;
    void (*run)();
};
const Family& elementwise_family();
const Family& gated_family();
const Family& conv_family();
const Family& layers_family();
const Family& head_family();
const Family& metrics_family();
const Family& runtime_family();

}  // namespace check
