/* The emulated device's own controls, for the native layer's emulated build and for tests.
 * Not part of the CUDA runtime; a real device has no equivalent. */
#ifndef SNC_EMU_CONTROL_H
#define SNC_EMU_CONTROL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Faults the detectors reported since the start or the last snc_emu_clear_faults. */
int snc_emu_fault_count(void);

/* The last fault's report ("kernel K block (x,y,z) thread (x,y,z): ..."), "" when none. Valid
   until the next fault or clear. */
const char* snc_emu_last_fault(void);

/* Forgets the faults and the sticky error. Only tests do this: a real GPU context that faulted
   stays unusable until the process ends. */
void snc_emu_clear_faults(void);

/* The device memory in bytes that allocations may take together (default 4 GiB, or
   SPIDERNET_EMULATED_DEVICE_MEMORY); a new capacity below the bytes in use is refused (returns 0). */
int snc_emu_set_capacity(int64_t bytes);
int64_t snc_emu_capacity(void);

#ifdef __cplusplus
}
#endif

#endif
