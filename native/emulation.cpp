// Which device this build of the library runs on, and the emulated device's settings. Compiled
// into both flavours: the GPU build answers that it is not emulated.
#include <cstdint>

#include "spidernet_cuda.h"

#if defined(SNC_EMULATED_DEVICE)
#include "snc_emu/control.h"
#endif

extern "C" int snc_is_emulated(void) {
#if defined(SNC_EMULATED_DEVICE)
    return 1;
#else
    return 0;
#endif
}

extern "C" int snc_emulated_set_memory(int64_t bytes) {
#if defined(SNC_EMULATED_DEVICE)
    return bytes >= 0 && snc_emu_set_capacity(bytes) != 0 ? SNC_OK : SNC_ERR_ARGUMENT;
#else
    (void)bytes;
    return SNC_ERR_ARGUMENT;
#endif
}
