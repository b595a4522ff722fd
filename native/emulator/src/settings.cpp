// The emulator's settings, read once from the environment.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

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
    const char* race = std::getenv("SNC_EMU_RACECHECK");
    const std::string mode = race != nullptr ? race : "sample";
    s.race_check = mode == "all" || mode == "1" ? Settings::RaceCheck::All
                   : mode == "off" || mode == "0" ? Settings::RaceCheck::Off
                                                  : Settings::RaceCheck::Sample;
    if (mode != "all" && mode != "1" && mode != "off" && mode != "0" && mode != "sample") {
        std::fprintf(stderr, "snc-emu: SNC_EMU_RACECHECK=%s is not all, sample or off; using sample\n", race);
    }
    s.race_check_max_bytes = number("SNC_EMU_RACECHECK_MAX_BYTES", 256ull << 20);
    s.shuffle_seed = number("SNC_EMU_SHUFFLE_SEED", 0);
    s.trap_signalling_nan = number("SNC_EMU_TRAP_SNAN", 0) != 0;
    const char* profile = std::getenv("SNC_EMU_PROFILE");
    s.profile = profile != nullptr ? profile : "";
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
