// Context switch between the emulator's fibers (System V x86-64).
//
//   void snc_emu_switch(void** save_sp, void* next_sp)
//
// Pushes the callee-saved registers, stores the stack pointer in *save_sp, loads next_sp and
// pops the same frame from it. The floating-point control words (MXCSR, x87) are not switched:
// every GPU thread runs in the mode run_grid sets, and loading them costs more than the rest of
// the switch. A fresh fiber's stack is laid out by block_scheduler.cpp so that the final `ret`
// enters snc_emu_fiber_start with the fiber in %r12.
    .text
    .globl snc_emu_switch
    .hidden snc_emu_switch
    .type snc_emu_switch, @function
snc_emu_switch:
    .cfi_startproc
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .cfi_endproc
    .size snc_emu_switch, .-snc_emu_switch

// First entry of a fiber: the stack is 16-byte aligned here; call the C++ body, which never returns.
    .globl snc_emu_fiber_start
    .hidden snc_emu_fiber_start
    .type snc_emu_fiber_start, @function
snc_emu_fiber_start:
    .cfi_startproc
    .cfi_undefined rip
    movq %r12, %rdi
    call snc_emu_fiber_main
    ud2
    .cfi_endproc
    .size snc_emu_fiber_start, .-snc_emu_fiber_start

    .section .note.GNU-stack,"",@progbits
