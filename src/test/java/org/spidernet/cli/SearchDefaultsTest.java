package org.spidernet.cli;

import org.junit.jupiter.api.Test;
import org.spidernet.backend.Availability;
import org.spidernet.backend.Backend;
import org.spidernet.backend.BackendProvider;

import java.lang.management.ManagementFactory;
import java.util.OptionalLong;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The default memory budget of a search: a device's free memory, else a share of the machine's. */
class SearchDefaultsTest {

    private static BackendProvider provider(OptionalLong free) {
        return new BackendProvider() {
            @Override
            public String name() {
                return "stub";
            }

            @Override
            public int rank() {
                return 0;
            }

            @Override
            public Availability availability() {
                throw new AssertionError("the budget must not probe availability itself");
            }

            @Override
            public Backend open() {
                throw new AssertionError("the budget must not open a backend");
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
                SearchDefaults.defaultBudget(provider(OptionalLong.of(free))), "free " + free);
    }

    @Test
    void hostBackendsGetAQuarterOfPhysicalMemory() {
        long total = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        assertEquals(total / 4, SearchDefaults.defaultBudget(provider(OptionalLong.empty())));
        assertEquals(total / 4, SearchDefaults.defaultBudget(provider(OptionalLong.of(0))),
                "a device reporting no free memory falls back to the host rule");
    }
}
