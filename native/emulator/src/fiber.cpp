// Fibers of the emulated device: mmap'd stacks with a guard page, pooled per host thread, and the
// switches (fiber_switch.S) annotated for AddressSanitizer, which must know which stack runs.
#include "fiber.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#define SNC_EMU_ASAN 1
#else
#define SNC_EMU_ASAN 0
#endif

extern "C" void snc_emu_switch(void** save_sp, void* next_sp);
extern "C" void snc_emu_fiber_start();

namespace snc_emu {

namespace {

// Kernels keep a few scalars and small arrays; AddressSanitizer's frames are larger.
constexpr size_t kStackBytes = SNC_EMU_ASAN ? 512 * 1024 : 128 * 1024;

// Every fiber is idle between launches, so the pool owns them all and releases them with the thread.
struct FiberPool {
    std::vector<Fiber*> idle;
    ~FiberPool() {
        for (Fiber* fiber : idle) {
            munmap(fiber->mapping, fiber->mapping_bytes);
            delete fiber;
        }
    }
};
thread_local FiberPool pool;

size_t page() { return static_cast<size_t>(getpagesize()); }

// Lays out the frame snc_emu_switch pops so that its `ret` enters snc_emu_fiber_start, which
// calls snc_emu_fiber_main(fiber) (r12 holds the fiber).
void prepare_fresh(Fiber* fiber) {
#if SNC_EMU_ASAN
    // frames abandoned by an earlier fault left poisoned red zones behind
    __asan_unpoison_memory_region(fiber->mapping + page(), fiber->mapping_bytes - page());
#endif
    unsigned char* top = fiber->mapping + fiber->mapping_bytes;
    top -= reinterpret_cast<uintptr_t>(top) % 16;
    auto* sp = reinterpret_cast<uint64_t*>(top - 16);  // 16-byte aligned after the `ret`, as a call expects
    sp[-1] = reinterpret_cast<uint64_t>(&snc_emu_fiber_start);  // return address
    sp[-2] = 0;                                                 // rbp
    sp[-3] = 0;                                                 // rbx
    sp[-4] = reinterpret_cast<uint64_t>(fiber);                 // r12
    sp[-5] = 0;                                                 // r13
    sp[-6] = 0;                                                 // r14
    sp[-7] = 0;                                                 // r15
    fiber->sp = &sp[-7];
}

Fiber* new_fiber() {
    auto* fiber = new Fiber();
    fiber->mapping_bytes = kStackBytes + page();
    void* mapping = mmap(nullptr, fiber->mapping_bytes, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mapping == MAP_FAILED) {
        std::fprintf(stderr, "snc-emu: cannot map a fiber stack of %zu bytes\n", fiber->mapping_bytes);
        std::abort();
    }
    fiber->mapping = static_cast<unsigned char*>(mapping);
    mprotect(fiber->mapping, page(), PROT_NONE);  // a stack overflow faults instead of corrupting memory
    prepare_fresh(fiber);
    return fiber;
}

}  // namespace

Fiber* take_fiber() {
    if (pool.idle.empty()) return new_fiber();
    Fiber* fiber = pool.idle.back();
    pool.idle.pop_back();
    return fiber;
}

void park(Fiber* fiber) { pool.idle.push_back(fiber); }

void abandon(Fiber* fiber) {
    prepare_fresh(fiber);
    pool.idle.push_back(fiber);
}

void enter(SchedulerStack& scheduler, Fiber* fiber) {
#if SNC_EMU_ASAN
    __sanitizer_start_switch_fiber(&scheduler.asan_fake_stack, fiber->mapping + page(), fiber->mapping_bytes - page());
#endif
    snc_emu_switch(&scheduler.sp, fiber->sp);
#if SNC_EMU_ASAN
    __sanitizer_finish_switch_fiber(scheduler.asan_fake_stack, nullptr, nullptr);
#endif
}

void leave(SchedulerStack& scheduler, Fiber* fiber) {
#if SNC_EMU_ASAN
    __sanitizer_start_switch_fiber(&fiber->asan_fake_stack, scheduler.bottom, scheduler.size);
#endif
    snc_emu_switch(&fiber->sp, scheduler.sp);
}

void resumed(Fiber* fiber, SchedulerStack& scheduler) {
#if SNC_EMU_ASAN
    __sanitizer_finish_switch_fiber(fiber->asan_fake_stack, &scheduler.bottom, &scheduler.size);
#else
    (void)fiber;
    (void)scheduler;
#endif
}

void started(SchedulerStack& scheduler) {
#if SNC_EMU_ASAN
    __sanitizer_finish_switch_fiber(nullptr, &scheduler.bottom, &scheduler.size);
#else
    (void)scheduler;
#endif
}

}  // namespace snc_emu
