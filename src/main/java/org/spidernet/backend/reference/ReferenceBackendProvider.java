package org.spidernet.backend.reference;

import org.spidernet.backend.Availability;
import org.spidernet.backend.Backend;
import org.spidernet.backend.BackendProvider;

/** Registers the float64 reference backend: always usable, lowest rank so {@code auto} prefers any other. */
public final class ReferenceBackendProvider implements BackendProvider {
    private static final Availability AVAILABLE = Availability.usable("plain Java, float64");

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public int rank() {
        return 0;
    }

    @Override
    public Availability availability() {
        return AVAILABLE;
    }

    @Override
    public Backend open() {
        return new ReferenceBackend();
    }

    @Override
    public Backend open(long capacityBytes) {
        return new ReferenceBackend(capacityBytes);
    }
}
