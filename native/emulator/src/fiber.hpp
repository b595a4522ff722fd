// Fibers: the stacks GPU threads run on, and the switches between a fiber and the scheduler (the
// host thread's own stack). Used by block_scheduler.cpp only.
#pragma once

#include <cstddef>

namespace snc_emu {

struct Fiber {
    void* sp = nullptr;                // saved stack pointer while the fiber does not run
    unsigned char* mapping = nullptr;  // guard page, then the stack
    size_t mapping_bytes = 0;
    void* asan_fake_stack = nullptr;
};

// Where the scheduler's side of the switches is kept (one per running block).
struct SchedulerStack {
    void* sp = nullptr;
    const void* bottom = nullptr;  // AddressSanitizer's view of the scheduler's stack
    size_t size = 0;
    void* asan_fake_stack = nullptr;
};

// An idle fiber of this host thread (a new one when none is idle). It is either fresh (it starts
// in snc_emu_fiber_main) or parked in that function's loop, which resumes where it left.
Fiber* take_fiber();

// Gives back a fiber that parked itself in its loop.
void park(Fiber* fiber);

// Gives back a fiber whose GPU thread will never resume (its block faulted): its stack starts
// afresh when next used.
void abandon(Fiber* fiber);

// Scheduler -> fiber; returns when the fiber switches back.
void enter(SchedulerStack& scheduler, Fiber* fiber);

// Fiber -> scheduler; returns when the scheduler enters this fiber again, possibly for a later
// launch: the caller then calls resumed() with the scheduler that entered it.
void leave(SchedulerStack& scheduler, Fiber* fiber);
void resumed(Fiber* fiber, SchedulerStack& scheduler);

// The first thing a fresh fiber does (AddressSanitizer's half of the first switch).
void started(SchedulerStack& scheduler);

}  // namespace snc_emu

// The body of every fiber (block_scheduler.cpp); snc_emu_fiber_start calls it on a fresh stack.
extern "C" void snc_emu_fiber_main(snc_emu::Fiber* self);
