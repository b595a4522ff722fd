package org.spidernet.backend.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.spidernet.backend.Backend;
import org.spidernet.backend.BackendProvider;
import org.spidernet.backend.Backends;

/** The reference backend is found through ServiceLoader and resolved by name. */
class ReferenceBackendProviderTest {

    @Test
    void resolvesByNameThroughServiceLoader() {
        BackendProvider provider = Backends.resolve("reference");
        assertInstanceOf(ReferenceBackendProvider.class, provider);
        assertEquals(0, provider.rank());
        assertTrue(provider.availability().usable());
        try (Backend backend = provider.open()) {
            assertInstanceOf(ReferenceBackend.class, backend);
            assertEquals("reference", backend.name());
            assertEquals(8, backend.bytesPerElement());
        }
    }

    @Test
    void ranksLowestAmongTheProvidersAutoMayPick() {
        // auto must prefer any other usable backend over the slow float64 oracle; only providers
        // auto must never pick (the emulated CUDA device, slower still) rank below it, and since the
        // reference backend is always usable, auto never reaches them
        for (BackendProvider p : Backends.providers()) {
            assertTrue(p.rank() >= 0 || p.name().equals("cuda-emulated"), p.name() + " ranks below the reference backend");
        }
        assertEquals("reference", Backends.providers().stream().filter(p -> p.rank() >= 0)
                .reduce((a, b) -> b).orElseThrow().name());
    }
}
