// Device memory of the emulated device: every allocation is its own host heap block with guard
// bytes on both sides, filled at allocation with a signalling-NaN pattern so that reads of
// memory never written show up (as NaN in results, and as a reported fault under
// SNC_EMU_TRAP_SNAN). Allocations count against the device's capacity, so out-of-memory and the
// engine's recovery from it run for real. Memory pools keep the usage figures the runtime reports.
//
// Guards: 256 bytes before and after the user bytes. Under AddressSanitizer they are poisoned, so
// the first out-of-bounds access is reported with the thread that made it; otherwise they hold a
// pattern checked after every launch, so an out-of-bounds write is reported with the kernel.
// Differences from a GPU's pool: freed memory goes back at once (reserved == used), and pointers
// are 256-byte aligned, as cudaMalloc's.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>

#include "internal.hpp"
#include "snc_emu/control.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define SNC_EMU_POISON(address, bytes) __asan_poison_memory_region((address), (bytes))
#define SNC_EMU_UNPOISON(address, bytes) __asan_unpoison_memory_region((address), (bytes))
#else
#define SNC_EMU_POISON(address, bytes) ((void)(address), (void)(bytes))
#define SNC_EMU_UNPOISON(address, bytes) ((void)(address), (void)(bytes))
#endif

struct snc_emu_pool {
    uint64_t used = 0;
    uint64_t high = 0;
    uint64_t release_threshold = 0;
};

namespace snc_emu {

namespace {

constexpr size_t kGuard = 256;
constexpr unsigned char kGuardByte = 0xFD;

struct Allocation {
    unsigned char* block;
    size_t block_bytes;
    size_t size;
    snc_emu_pool* pool;  // null for cudaMalloc
};

// Guarded by device_lock().
std::map<uintptr_t, Allocation> allocations;  // by user address
uint64_t device_used = 0;
uint64_t capacity_bytes = 0;
bool capacity_read = false;

uint64_t capacity() {
    if (!capacity_read) {
        capacity_bytes = settings().capacity;
        capacity_read = true;
    }
    return capacity_bytes;
}

unsigned char* user_of(const Allocation& a) { return a.block + kGuard; }

// The allocation that contains `address`, or null.
const Allocation* containing(const void* address) {
    const auto at = reinterpret_cast<uintptr_t>(address);
    auto it = allocations.upper_bound(at);
    if (it == allocations.begin()) return nullptr;
    --it;
    const Allocation& a = it->second;
    const size_t extent = a.size == 0 ? 1 : a.size;
    return at < it->first + extent ? &a : nullptr;
}

void fill_guards(const Allocation& a) {
    unsigned char* user = user_of(a);
    std::memset(a.block, kGuardByte, kGuard);
    std::memset(user + a.size, kGuardByte, a.block_bytes - kGuard - a.size);
    SNC_EMU_POISON(a.block, kGuard);
    SNC_EMU_POISON(user + a.size, a.block_bytes - kGuard - a.size);
}

cudaError_t allocate(void** pointer, size_t bytes, snc_emu_pool* pool) {
    if (pointer == nullptr) return fail(cudaErrorInvalidValue);
    *pointer = nullptr;
    if (bytes > capacity() || device_used + bytes > capacity()) return fail(cudaErrorMemoryAllocation);
    const size_t block_bytes = ((kGuard + bytes + kGuard) + kGuard - 1) / kGuard * kGuard;
    auto* block = static_cast<unsigned char*>(std::aligned_alloc(kGuard, block_bytes));
    if (block == nullptr) return fail(cudaErrorMemoryAllocation);
    Allocation a{block, block_bytes, bytes, pool};
    unsigned char* user = user_of(a);
    for (size_t i = 0; i + 4 <= bytes; i += 4) {
        const uint32_t word = (i / 4) % 2 == 0 ? kNeverWrittenEven : kNeverWrittenOdd;
        std::memcpy(user + i, &word, 4);
    }
    std::memset(user + bytes / 4 * 4, 0xA5, bytes % 4);
    fill_guards(a);
    allocations.emplace(reinterpret_cast<uintptr_t>(user), a);
    device_used += bytes;
    if (pool != nullptr) {
        pool->used += bytes;
        if (pool->used > pool->high) pool->high = pool->used;
    }
    *pointer = user;
    return cudaSuccess;
}

bool guards_intact(const Allocation& a, size_t* first_bad) {
    unsigned char* user = user_of(a);
    SNC_EMU_UNPOISON(a.block, a.block_bytes);
    bool intact = true;
    for (size_t i = 0; i < a.block_bytes - kGuard - a.size && intact; i++) {
        if (user[a.size + i] != kGuardByte) {
            *first_bad = a.size + i;
            intact = false;
        }
    }
    for (size_t i = 0; i < kGuard && intact; i++) {
        if (a.block[i] != kGuardByte) {
            *first_bad = i;  // reported as before the start
            intact = false;
        }
    }
    fill_guards(a);
    return intact;
}

cudaError_t release(void* pointer, snc_emu_pool* expected_pool, bool any_pool) {
    auto it = allocations.find(reinterpret_cast<uintptr_t>(pointer));
    if (it == allocations.end()) return fail(cudaErrorInvalidValue);
    Allocation a = it->second;
    if (!any_pool && a.pool != expected_pool) return fail(cudaErrorInvalidValue);
    size_t bad = 0;
    if (!guards_intact(a, &bad)) {
        char text[200];
        std::snprintf(text, sizeof text,
                      "an out-of-bounds write damaged the guard bytes of the %zu-byte allocation at %p (found when it was freed)",
                      a.size, pointer);
        report_fault(cudaErrorIllegalAddress, text);
    }
    allocations.erase(it);
    device_used -= a.size;
    if (a.pool != nullptr) a.pool->used -= a.size;
    SNC_EMU_UNPOISON(a.block, a.block_bytes);
    std::free(a.block);
    return cudaSuccess;
}

// A copy or memset target or source must lie inside one allocation.
bool inside(const void* address, size_t bytes) {
    const Allocation* a = containing(address);
    if (a == nullptr) return false;
    const auto offset = reinterpret_cast<uintptr_t>(address) - reinterpret_cast<uintptr_t>(user_of(*a));
    return offset + bytes <= a->size || bytes == 0;
}

}  // namespace

bool writable_regions(const std::vector<PointerArgument>& arguments, uint64_t limit, std::vector<Region>& regions) {
    regions.clear();
    bool everything = false;
    for (const PointerArgument& argument : arguments) everything = everything || argument.indirect;
    std::set<uintptr_t> chosen;
    if (everything) {
        for (const auto& entry : allocations) chosen.insert(entry.first);
    } else {
        for (const PointerArgument& argument : arguments) {
            if (!argument.writable || argument.address == nullptr) continue;
            const Allocation* a = containing(argument.address);
            if (a != nullptr) chosen.insert(reinterpret_cast<uintptr_t>(user_of(*a)));
        }
    }
    uint64_t total = 0;
    for (uintptr_t key : chosen) {
        const Allocation& a = allocations.at(key);
        total += a.size;
        regions.push_back(Region{user_of(a), a.size});
    }
    if (total > limit) {
        regions.clear();
        return false;
    }
    return true;
}

bool check_guards(const char* kernel, const std::vector<Region>* regions) {
    bool intact = true;
    auto check = [&](const Allocation& a) {
        size_t bad = 0;
        if (!guards_intact(a, &bad)) {
            char text[256];
            std::snprintf(text, sizeof text,
                          "kernel %s wrote out of bounds of the %zu-byte allocation at %p (guard byte at offset %zd "
                          "overwritten; check-kernels-sanitized names the thread)",
                          kernel, a.size, static_cast<void*>(user_of(a)),
                          bad >= a.size ? static_cast<ssize_t>(bad) : -static_cast<ssize_t>(kGuard - bad));
            report_fault(cudaErrorIllegalAddress, text);
            intact = false;
        }
    };
    if (regions == nullptr) {
        for (const auto& entry : allocations) check(entry.second);
    } else {
        for (const Region& r : *regions) check(allocations.at(reinterpret_cast<uintptr_t>(r.base)));
    }
    return intact;
}

}  // namespace snc_emu

using snc_emu::device_lock;
using snc_emu::fail;

cudaError_t cudaMemGetInfo(size_t* free_bytes, size_t* total_bytes) {
    SNC_EMU_ENTER();
    if (free_bytes == nullptr || total_bytes == nullptr) return fail(cudaErrorInvalidValue);
    *total_bytes = snc_emu::capacity();
    *free_bytes = snc_emu::capacity() - snc_emu::device_used;
    return cudaSuccess;
}

cudaError_t cudaMalloc(void** pointer, size_t bytes) {
    SNC_EMU_ENTER();
    return snc_emu::allocate(pointer, bytes, nullptr);
}

cudaError_t cudaFree(void* pointer) {
    SNC_EMU_ENTER();
    if (pointer == nullptr) return cudaSuccess;
    return snc_emu::release(pointer, nullptr, true);
}

cudaError_t cudaMemPoolCreate(cudaMemPool_t* pool, const struct cudaMemPoolProps* properties) {
    SNC_EMU_ENTER();
    if (pool == nullptr || properties == nullptr || properties->location.type != cudaMemLocationTypeDevice
        || properties->location.id != 0 || properties->allocType != cudaMemAllocationTypePinned) {
        return fail(cudaErrorInvalidValue);
    }
    *pool = new snc_emu_pool();
    return cudaSuccess;
}

cudaError_t cudaMemPoolDestroy(cudaMemPool_t pool) {
    SNC_EMU_ENTER();
    if (pool == nullptr) return fail(cudaErrorInvalidValue);
    // As on a GPU, blocks still allocated from the pool stay valid until freed; only the figures go.
    for (auto& entry : snc_emu::allocations) {
        if (entry.second.pool == pool) entry.second.pool = nullptr;
    }
    delete pool;
    return cudaSuccess;
}

cudaError_t cudaMemPoolSetAttribute(cudaMemPool_t pool, enum cudaMemPoolAttr attribute, void* value) {
    SNC_EMU_ENTER();
    if (pool == nullptr || value == nullptr) return fail(cudaErrorInvalidValue);
    const uint64_t v = *static_cast<const uint64_t*>(value);
    switch (attribute) {
        case cudaMemPoolAttrReleaseThreshold: pool->release_threshold = v; return cudaSuccess;
        case cudaMemPoolAttrUsedMemHigh:
        case cudaMemPoolAttrReservedMemHigh:
            if (v != 0) return fail(cudaErrorInvalidValue);  // the runtime accepts only 0: restart from now
            pool->high = pool->used;
            return cudaSuccess;
        default: return fail(cudaErrorInvalidValue);
    }
}

cudaError_t cudaMemPoolGetAttribute(cudaMemPool_t pool, enum cudaMemPoolAttr attribute, void* value) {
    SNC_EMU_ENTER();
    if (pool == nullptr || value == nullptr) return fail(cudaErrorInvalidValue);
    auto* out = static_cast<uint64_t*>(value);
    switch (attribute) {
        case cudaMemPoolAttrReleaseThreshold: *out = pool->release_threshold; return cudaSuccess;
        case cudaMemPoolAttrUsedMemCurrent:
        case cudaMemPoolAttrReservedMemCurrent: *out = pool->used; return cudaSuccess;
        case cudaMemPoolAttrUsedMemHigh:
        case cudaMemPoolAttrReservedMemHigh: *out = pool->high; return cudaSuccess;
        default: return fail(cudaErrorInvalidValue);
    }
}

cudaError_t cudaMemPoolTrimTo(cudaMemPool_t pool, size_t) {
    SNC_EMU_ENTER();
    return pool == nullptr ? fail(cudaErrorInvalidValue) : cudaSuccess;  // nothing is kept to trim
}

// Allocation is capturable: memory allocated while a stream records belongs to the graph.
cudaError_t cudaMallocFromPoolAsync(void** pointer, size_t bytes, cudaMemPool_t pool, cudaStream_t stream) {
    SNC_EMU_ENTER();
    if (pool == nullptr || !snc_emu::valid_stream(stream)) return fail(cudaErrorInvalidValue);
    const cudaError_t status = snc_emu::allocate(pointer, bytes, pool);
    if (status == cudaSuccess) snc_emu::note_graph_allocation(stream, *pointer);
    return status;
}

// While a stream records, only a graph allocation may be freed (that makes a free node); freeing
// any other memory is an error that invalidates the recording, as on a GPU.
cudaError_t cudaFreeAsync(void* pointer, cudaStream_t stream) {
    SNC_EMU_ENTER();
    if (!snc_emu::valid_stream(stream)) return fail(cudaErrorInvalidValue);
    if (pointer == nullptr) return cudaSuccess;
    if (snc_emu::is_graph_allocation(stream, pointer)) return cudaSuccess;  // released with the graph
    if (snc_emu::refuse_while_capturing(stream)) return fail(cudaErrorInvalidValue);
    return snc_emu::release(pointer, nullptr, true);
}

cudaError_t cudaMemsetAsync(void* pointer, int value, size_t bytes, cudaStream_t stream) {
    SNC_EMU_ENTER();
    if (!snc_emu::valid_stream(stream) || !snc_emu::inside(pointer, bytes)) return fail(cudaErrorInvalidValue);
    auto operation = [pointer, value, bytes] { std::memset(pointer, value, bytes); };
    if (!snc_emu::record_if_capturing(stream, operation)) operation();
    return cudaSuccess;
}

cudaError_t cudaMemcpyAsync(void* destination, const void* source, size_t bytes, enum cudaMemcpyKind kind,
                            cudaStream_t stream) {
    SNC_EMU_ENTER();
    if (!snc_emu::valid_stream(stream) || destination == nullptr || source == nullptr) return fail(cudaErrorInvalidValue);
    if (bytes == 0) return cudaSuccess;
    const bool to_device = kind == cudaMemcpyHostToDevice || kind == cudaMemcpyDeviceToDevice;
    const bool from_device = kind == cudaMemcpyDeviceToHost || kind == cudaMemcpyDeviceToDevice;
    if (kind != cudaMemcpyHostToDevice && kind != cudaMemcpyDeviceToHost && kind != cudaMemcpyDeviceToDevice) {
        return fail(cudaErrorInvalidValue);
    }
    if ((to_device && !snc_emu::inside(destination, bytes)) || (from_device && !snc_emu::inside(source, bytes))) {
        return fail(cudaErrorInvalidValue);
    }
    auto operation = [destination, source, bytes] { std::memmove(destination, source, bytes); };
    if (kind == cudaMemcpyDeviceToDevice) {
        if (!snc_emu::record_if_capturing(stream, operation)) operation();
        return cudaSuccess;
    }
    // Copies with pageable host memory cannot be part of a graph.
    if (snc_emu::refuse_while_capturing(stream)) return fail(cudaErrorStreamCaptureUnsupported);
    operation();
    return cudaSuccess;
}

cudaError_t cudaMemcpy(void* destination, const void* source, size_t bytes, enum cudaMemcpyKind kind) {
    return cudaMemcpyAsync(destination, source, bytes, kind, nullptr);
}

extern "C" int snc_emu_set_capacity(int64_t bytes) {
    std::lock_guard<std::recursive_mutex> guard(device_lock());
    if (bytes < 0 || static_cast<uint64_t>(bytes) < snc_emu::device_used) return 0;
    snc_emu::capacity();  // read the default first, so that a later first read cannot override this
    snc_emu::capacity_bytes = static_cast<uint64_t>(bytes);
    return 1;
}

extern "C" int64_t snc_emu_capacity(void) {
    std::lock_guard<std::recursive_mutex> guard(device_lock());
    return static_cast<int64_t>(snc_emu::capacity());
}
