// Buffers, random inputs and the comparison lines shared by the check families (see check.hpp).
#include <cstring>
#include <limits>

#include "check.hpp"

namespace check {

std::mt19937_64 rng;
snc_context* context = nullptr;
int passed = 0;
int failed = 0;

namespace {
constexpr int kMaxReportedMismatches = 5;
}

void call(int status, const char* what) {
    if (status != SNC_OK) {
        throw ApiError(std::string(what) + " returned " + std::to_string(status) + " (" + snc_status_string(status) +
                       ")");
    }
}

Buffer::Buffer(int64_t bytes) { call(snc_alloc(context, bytes, &pointer_), "snc_alloc"); }

Buffer::~Buffer() {
    // a destructor cannot report; a failing free shows up in the next check's calls
    if (pointer_ != nullptr) snc_free(context, pointer_);
}

std::vector<float> random_floats(size_t n, float lo, float hi) {
    std::uniform_real_distribution<float> uniform(lo, hi);
    std::vector<float> values(n);
    for (float& v : values) {
        do v = uniform(rng); while (v == 0.0f);
    }
    return values;
}

int random_int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }

std::vector<float> nan_floats(size_t n) { return std::vector<float>(n, std::numeric_limits<float>::quiet_NaN()); }

std::vector<double> nan_doubles(size_t n) {
    return std::vector<double>(n, std::numeric_limits<double>::quiet_NaN());
}

void Comparison::mismatch(const std::string& message) {
    if (++mismatches_ <= kMaxReportedMismatches) std::printf("  %s\n", message.c_str());
}

void Comparison::record(double err, double tol, bool ok) {
    const double ratio = !ok ? std::numeric_limits<double>::infinity() : tol > 0.0 ? err / tol : 0.0;
    if (ratio > worst_ratio_) {
        worst_ratio_ = ratio;
        worst_err_ = err;
        worst_tol_ = tol;
    }
}

void Comparison::near(const char* what, size_t index, double expected, double got, double tol) {
    const double err = std::fabs(got - expected);
    const bool ok = err <= tol;  // false for a NaN on either side
    record(err, tol, ok);
    if (!ok) {
        char line[256];
        std::snprintf(line, sizeof line, "%s[%zu]: expected %.9g, got %.9g (err %.3g, tol %.3g)", what, index, expected,
                      got, err, tol);
        mismatch(line);
    }
}

void Comparison::exact(const char* what, size_t index, float expected, float got) {
    uint32_t a, b;
    std::memcpy(&a, &expected, sizeof a);
    std::memcpy(&b, &got, sizeof b);
    const bool ok = a == b || (std::isnan(expected) && std::isnan(got));
    record(ok ? 0.0 : std::fabs(static_cast<double>(got) - expected), 0.0, ok);
    if (!ok) {
        char line[256];
        std::snprintf(line, sizeof line, "%s[%zu]: expected %.9g (0x%08x), got %.9g (0x%08x), bit-exact", what, index,
                      expected, a, got, b);
        mismatch(line);
    }
}

void Comparison::exact(const char* what, size_t index, double expected, double got) {
    uint64_t a, b;
    std::memcpy(&a, &expected, sizeof a);
    std::memcpy(&b, &got, sizeof b);
    const bool ok = a == b || (std::isnan(expected) && std::isnan(got));
    record(ok ? 0.0 : std::fabs(got - expected), 0.0, ok);
    if (!ok) {
        char line[256];
        std::snprintf(line, sizeof line, "%s[%zu]: expected %.17g, got %.17g, bit-exact", what, index, expected, got);
        mismatch(line);
    }
}

void Comparison::expect(bool ok, const std::string& message) {
    if (!ok) {
        record(0.0, 0.0, false);
        mismatch(message);
    }
}

void Comparison::report(const std::string& name, const std::string& sizes) const {
    const bool ok = mismatches_ == 0;
    std::printf("%s %s %s max_err=%.3g tol=%.3g", ok ? "PASS" : "FAIL", name.c_str(),
                sizes.empty() ? "-" : sizes.c_str(), worst_err_, worst_tol_);
    if (!ok) std::printf(" mismatches=%d", mismatches_);
    std::printf("\n");
    std::fflush(stdout);
    ++(ok ? passed : failed);
}

std::string sizes(std::initializer_list<std::pair<const char*, long long>> fields) {
    std::string out;
    for (const auto& field : fields) {
        if (!out.empty()) out += ',';
        out += field.first;
        out += '=';
        out += std::to_string(field.second);
    }
    return out;
}

}  // namespace check
