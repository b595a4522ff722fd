package org.spidernet.search;

import org.junit.jupiter.api.Test;
import org.spidernet.backend.Availability;
import org.spidernet.backend.Backend;
import org.spidernet.backend.BackendProvider;
import org.spidernet.train.TrainDefaults;

import java.lang.management.ManagementFactory;
import java.util.OptionalLong;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Defaults chosen by what a backend can do, never by its name: a device's free memory and
 * SpiderNet's settings with one, a share of the machine's memory and the CPU settings without.
 */
class SearchDefaultsTest {

    /** A provider that only answers {@code deviceFreeMemoryBytes}, named like the real CUDA one. */
    private static BackendProvider provider(OptionalLong free) {
        return new BackendProvider() {
            @Override
            public String name() {
                return "cuda";
            }

            @Override
            public int rank() {
                return 0;
            }

            @Override
            public Availability availability() {
                throw new AssertionError("the defaults must not probe availability themselves");
            }

            @Override
            public Backend open() {
                throw new AssertionError("the defaults must not open a backend");
            }

            @Override
            public OptionalLong deviceFreeMemoryBytes() {
                return free;
            }
        };
    }

    @Test
    void deviceBudgetIsItsFreeMemoryLessTheReserve() {
        long free = (1L << 30) + new Random().nextInt(1 << 30);
        assertEquals((long) (free * SearchDefaults.DEVICE_BUDGET_SHARE),
                SearchDefaults.memoryBudget(provider(OptionalLong.of(free)).capabilities()), "free " + free);
    }

    @Test
    void hostBackendsGetAQuarterOfPhysicalMemory() {
        long total = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        assertEquals(total / 4, SearchDefaults.memoryBudget(provider(OptionalLong.empty()).capabilities()));
        assertEquals(total / 4, SearchDefaults.memoryBudget(provider(OptionalLong.of(0)).capabilities()),
                "a device reporting no free memory falls back to the host rule");
    }

    @Test
    void aDeviceGetsSpiderNetsSettingsAndNoDeviceTheCpuOnesWhateverTheName() {
        BackendProvider.Capabilities device = provider(OptionalLong.of(8L << 30)).capabilities();
        BackendProvider.Capabilities none = provider(OptionalLong.empty()).capabilities();
        assertSame(SearchDefaults.GPU, SearchDefaults.forMachine(device));
        assertSame(SearchDefaults.CPU, SearchDefaults.forMachine(none), "a provider named cuda without a device (as "
                + "cuda-emulated, whose device is the host's cores) keeps the CPU defaults");
        assertEquals(TrainDefaults.GPU_CHANNELS, TrainDefaults.forMachine(device).channels());
        assertEquals(TrainDefaults.CPU_CHANNELS, TrainDefaults.forMachine(none).channels());
        assertFalse(none.hasDevice());
    }

    @Test
    void theCpuDefaultsAreTheOnesRunsHaveAlwaysUsed() {
        SearchDefaults d = SearchDefaults.CPU;
        assertEquals(new SearchDefaults(8, 3, 1, 1, 2, 12000, 0.05, new ScoringScale(1, 16, 1, 500), 0.0, 0, 0, true), d);
        assertEquals(new SearchDefaults(64, 30, 4, 600, 3, null, 0.01, new ScoringScale(3, 64, 3, 1000), 0.2, 4, 16,
                false), SearchDefaults.GPU);
        var t = TrainDefaults.forMachine(provider(OptionalLong.empty()).capabilities()).train();
        assertEquals(new org.spidernet.train.TrainConfig(1, 64, 0.1, 0.9, 3e-4, 0.0, 0, true, 0, 0.5, 0.05, true, 4,
                0.25, 640, 1, true), t);
    }
}
