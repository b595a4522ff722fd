package org.spidernet.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricRegistryTest {

    @Test
    void everyNameResolvesToItsMetric() {
        assertEquals(List.of("ntk", "ntk_centred", "lrc", "naswot", "naswot_v2", "synflow", "snip", "grad_norm",
                "params", "macs"), MetricRegistry.names());
        for (String name : MetricRegistry.names()) {
            TrainFreeMetric m = MetricRegistry.byName(name);
            assertEquals(name, m.name());
            assertEquals(!name.startsWith("ntk"), m.higherIsBetter(), name);
        }
        assertEquals("lrc", MetricRegistry.byName("LRC").name());
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MetricRegistry.byName("fisher"));
        assertTrue(e.getMessage().contains("naswot_v2"), e.getMessage());
        assertFalse(e.getMessage().isEmpty());
    }
}
