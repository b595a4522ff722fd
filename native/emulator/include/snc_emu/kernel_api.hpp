// Device code on the emulated device: CUDA's keywords, built-in variables, the intrinsics the
// kernels use, and the launch that native/emulator/translate writes in place of `<<<...>>>`.
//
// Every GPU thread of a block runs as a fiber on the calling host thread (block_scheduler.cpp);
// the built-in variables read the running fiber's position. __syncthreads is a block barrier,
// and the warp intrinsics synchronise only the lanes of their own 32-lane warp named in their
// mask. A kernel is an ordinary C++ function; a launch copies its arguments, as CUDA does.
#pragma once

#include <math.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline __attribute__((always_inline))
#define __noinline__ __attribute__((noinline))
// native/emulator/translate turns each kernel's bounds into snc_emu_bounds_<kernel>, which the
// launch checks; this fallback only serves a declaration it did not rewrite.
#define __launch_bounds__(...)
// Shared variables are statics in one section: blocks run one at a time (kernels run under the
// device lock), so the block that runs owns them. Before each block the emulator fills the whole
// section with the never-written pattern, as a new block's shared memory holds no earlier data.
#define __shared__ static __attribute__((section("snc_emu_shared"), aligned(16)))

// A device-side constant in CUDA; a variable here so that cudaDeviceProp's field of that name still compiles.
constexpr int warpSize = 32;

struct uint3 {
    unsigned int x, y, z;
};

struct dim3 {
    unsigned int x, y, z;
    constexpr dim3(unsigned int vx = 1, unsigned int vy = 1, unsigned int vz = 1) : x(vx), y(vy), z(vz) {}
};

namespace snc_emu {

// What the built-in variables of the running GPU thread read.
struct ThreadPosition {
    uint3 thread;
    uint3 block;
    dim3 block_dim;
    dim3 grid_dim;
};

extern thread_local const ThreadPosition* current_position;

enum class WarpOp { ShuffleIndex, ShuffleUp, ShuffleDown, ShuffleXor, Ballot, SyncWarp };

// Block barrier of the running thread; file and line name the call site in reports.
void sync_block(const char* file, int line);

// One warp collective of the running lane: waits for every lane named in `mask`, then returns
// this lane's result (a shuffled payload, or the ballot's bits).
uint64_t warp_collective(WarpOp op, unsigned mask, uint64_t payload, int parameter, int width, const char* file,
                         int line);

// Lanes of the running lane's warp that have not exited.
unsigned active_lanes();

// A kernel with its arguments bound, as a launch recorded it.
struct PointerArgument {
    const void* address;
    bool writable;  // the pointee is not const
    bool indirect;  // the pointee holds addresses (pointer tables, int64 address tables)
};

class KernelCall {
  public:
    virtual ~KernelCall() = default;
    virtual void invoke() const = 0;
    virtual void pointer_arguments(std::vector<PointerArgument>& out) const = 0;
};

template <typename T>
void collect_pointer(std::vector<PointerArgument>& out, const T& value) {
    if constexpr (std::is_pointer_v<T>) {
        using Pointee = std::remove_pointer_t<T>;
        using Bare = std::remove_cv_t<Pointee>;
        constexpr bool indirect = std::is_pointer_v<Bare> || (std::is_integral_v<Bare> && sizeof(Bare) == 8);
        out.push_back(PointerArgument{reinterpret_cast<const void*>(value), !std::is_const_v<Pointee>, indirect});
    }
}

template <typename... P>
class BoundKernel final : public KernelCall {
  public:
    BoundKernel(void (*kernel)(P...), std::decay_t<P>... args) : kernel_(kernel), args_(std::move(args)...) {}
    void invoke() const override { std::apply(kernel_, args_); }
    void pointer_arguments(std::vector<PointerArgument>& out) const override {
        std::apply([&out](const auto&... a) { (collect_pointer(out, a), ...); }, args_);
    }

  private:
    void (*kernel_)(P...);
    std::tuple<std::decay_t<P>...> args_;
};

struct LaunchSpec {
    const char* kernel;
    int max_threads;  // the kernel's __launch_bounds__ (1024 without one)
    dim3 grid;
    dim3 block;
    size_t shared_bytes;
    void* stream;
};

// Validates, then runs the launch on the stream (or records it while the stream is captured).
// The status becomes the host thread's last error, as for a real launch.
void submit(const LaunchSpec& spec, std::shared_ptr<const KernelCall> call);

// A launch as function-call argument conversion would pass the arguments (int -> int64_t, ...).
template <typename T>
struct same {
    using type = T;
};

class Launch {
  public:
    Launch(const char* kernel, int max_threads, dim3 grid, dim3 block, size_t shared_bytes = 0,
           void* stream = nullptr)
        : spec_{kernel, max_threads, grid, block, shared_bytes, stream} {}

    template <typename... P>
    void run(void (*kernel)(P...), typename same<std::decay_t<P>>::type... args) {
        submit(spec_, std::make_shared<BoundKernel<P...>>(kernel, std::move(args)...));
    }

  private:
    LaunchSpec spec_;
};

template <typename T>
uint64_t to_payload(T value) {
    static_assert(std::is_trivially_copyable_v<T> && sizeof(T) <= 8, "warp shuffles move at most 8 bytes");
    uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof(T));
    return bits;
}

template <typename T>
T from_payload(uint64_t bits) {
    T value;
    std::memcpy(&value, &bits, sizeof(T));
    return value;
}

}  // namespace snc_emu

#define threadIdx (::snc_emu::current_position->thread)
#define blockIdx (::snc_emu::current_position->block)
#define blockDim (::snc_emu::current_position->block_dim)
#define gridDim (::snc_emu::current_position->grid_dim)

inline void __syncthreads(const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    ::snc_emu::sync_block(file, line);
}

inline void __syncwarp(unsigned mask = 0xffffffffu, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    ::snc_emu::warp_collective(::snc_emu::WarpOp::SyncWarp, mask, 0, 0, 32, file, line);
}

template <typename T>
T __shfl_sync(unsigned mask, T value, int source_lane, int width = 32, const char* file = __builtin_FILE(),
              int line = __builtin_LINE()) {
    return ::snc_emu::from_payload<T>(::snc_emu::warp_collective(
        ::snc_emu::WarpOp::ShuffleIndex, mask, ::snc_emu::to_payload(value), source_lane, width, file, line));
}

template <typename T>
T __shfl_up_sync(unsigned mask, T value, unsigned delta, int width = 32, const char* file = __builtin_FILE(),
                 int line = __builtin_LINE()) {
    return ::snc_emu::from_payload<T>(::snc_emu::warp_collective(::snc_emu::WarpOp::ShuffleUp, mask,
                                                                 ::snc_emu::to_payload(value),
                                                                 static_cast<int>(delta), width, file, line));
}

template <typename T>
T __shfl_down_sync(unsigned mask, T value, unsigned delta, int width = 32, const char* file = __builtin_FILE(),
                   int line = __builtin_LINE()) {
    return ::snc_emu::from_payload<T>(::snc_emu::warp_collective(::snc_emu::WarpOp::ShuffleDown, mask,
                                                                 ::snc_emu::to_payload(value),
                                                                 static_cast<int>(delta), width, file, line));
}

template <typename T>
T __shfl_xor_sync(unsigned mask, T value, int lane_mask, int width = 32, const char* file = __builtin_FILE(),
                  int line = __builtin_LINE()) {
    return ::snc_emu::from_payload<T>(::snc_emu::warp_collective(
        ::snc_emu::WarpOp::ShuffleXor, mask, ::snc_emu::to_payload(value), lane_mask, width, file, line));
}

inline unsigned __ballot_sync(unsigned mask, int predicate, const char* file = __builtin_FILE(),
                              int line = __builtin_LINE()) {
    return static_cast<unsigned>(::snc_emu::warp_collective(::snc_emu::WarpOp::Ballot, mask, predicate != 0 ? 1 : 0,
                                                            0, 32, file, line));
}

inline unsigned __activemask() { return ::snc_emu::active_lanes(); }

// ---- arithmetic intrinsics --------------------------------------------------------------------
// IEEE operations in round-to-nearest: the host's SSE arithmetic, built with -ffp-contract=off so
// that no multiply-add is fused unless the source calls fmaf / fma (as on the GPU, where those are
// the only guaranteed fusions).
inline int __popc(unsigned x) { return __builtin_popcount(x); }
inline int __popcll(unsigned long long x) { return __builtin_popcountll(x); }
inline int __clz(int x) { return x == 0 ? 32 : __builtin_clz(static_cast<unsigned>(x)); }
inline int __ffs(int x) { return __builtin_ffs(x); }
inline double __dadd_rn(double a, double b) { return a + b; }
inline double __dsub_rn(double a, double b) { return a - b; }
inline double __dmul_rn(double a, double b) { return a * b; }
inline double __ddiv_rn(double a, double b) { return a / b; }
inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __double2float_rn(double x) { return static_cast<float>(x); }
// CUDA's rsqrtf has a maximum error of 2 ulp; the emulator's is correctly rounded 1/sqrt (within
// that bound), so results may differ from a GPU's in the last bits, never beyond the documented error.
inline float rsqrtf(float x) { return 1.0f / sqrtf(x); }
inline double rsqrt(double x) { return 1.0 / sqrt(x); }

// The device's integer and floating min/max overloads.
template <typename A, typename B>
inline std::common_type_t<A, B> min(A a, B b) {
    using C = std::common_type_t<A, B>;
    return static_cast<C>(b) < static_cast<C>(a) ? static_cast<C>(b) : static_cast<C>(a);
}
template <typename A, typename B>
inline std::common_type_t<A, B> max(A a, B b) {
    using C = std::common_type_t<A, B>;
    return static_cast<C>(a) < static_cast<C>(b) ? static_cast<C>(b) : static_cast<C>(a);
}

// Atomics: one GPU thread runs at a time on the emulated device, so a plain read-modify-write is atomic.
template <typename T>
inline T atomicAdd(T* address, T value) {
    const T old = *address;
    *address = old + value;
    return old;
}
