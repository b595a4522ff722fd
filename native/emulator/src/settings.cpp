// The emulator's settings, read once from the environment.
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "internal.hpp"

namespace snc_emu {

namespace {

uint64_t number(const char* name, uint64_t fallback) {
    const char* text = std::getenv(name);
    if (text == nullptr || *text == '\0') return fallback;
    char* end = nullptr;
    const unsigned long long value = std::strtoull(text, &end, 10);
    if (end == text || *end != '\0') {
        std::fprintf(stderr, "snc-emu: %s=%s is not a whole number; using %llu\n", name, text,
                     static_cast<unsigned long long>(fallback));
        return fallback;
    }
    return value;
}

Settings read() {
    Settings s;
    s.race_check = number("SNC_EMU_RACECHECK", 1) != 0;
    s.race_check_max_bytes = number("SNC_EMU_RACECHECK_MAX_BYTES", 256ull << 20);
    s.shuffle_seed = number("SNC_EMU_SHUFFLE_SEED", 0);
    s.trap_signalling_nan = number("SNC_EMU_TRAP_SNAN", 0) != 0;
    s.quiet = number("SNC_EMU_QUIET", 0) != 0;
    s.capacity = number("SPIDERNET_EMULATED_DEVICE_MEMORY", 4ull << 30);
    return s;
}

}  // namespace

const Settings& settings() {
    static const Settings values = read();
    return values;
}

}  // namespace snc_emu
