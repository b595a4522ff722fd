package org.spidernet.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** Finds backend plug-ins and resolves a user's choice ({@code auto} or a name) to one. */
public final class Backends {
    /** ServiceLoader recovers from a bad entry only on a best-effort basis; this bounds the retries. */
    private static final int MAX_LOAD_FAILURES = 16;

    private Backends() {
    }

    /**
     * All providers on the class path, best rank first. A provider whose classes cannot be loaded
     * (a plug-in's library left out of the class path, as ND4J is in the GPU bundle) is listed as an
     * {@link UnloadableProvider} with the reason instead of ending the listing.
     */
    public static List<BackendProvider> providers() {
        return providers(ServiceLoader.load(BackendProvider.class));
    }

    static List<BackendProvider> providers(ServiceLoader<BackendProvider> loader) {
        List<BackendProvider> list = new ArrayList<>();
        Iterator<BackendProvider> it = loader.iterator();
        int failures = 0;
        while (failures < MAX_LOAD_FAILURES) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                list.add(it.next());
            } catch (ServiceConfigurationError | LinkageError e) {
                list.add(new UnloadableProvider(e));
                failures++;
            }
        }
        list.sort(Comparator.comparingInt(BackendProvider::rank).reversed());
        return list;
    }

    /**
     * {@code provider.availability()}, with a provider that breaks the never-throws contract (a
     * class it needs is missing) reported as unusable with the reason.
     */
    public static Availability availability(BackendProvider provider) {
        try {
            return provider.availability();
        } catch (LinkageError | RuntimeException e) {
            return Availability.unusable("probe failed: " + UnloadableProvider.describe(e));
        }
    }

    /**
     * The provider for {@code choice}: a provider's name, or {@code auto} for the best usable one.
     * Throws {@link BackendUnavailableException} naming the reason when the choice cannot run.
     */
    public static BackendProvider resolve(String choice) {
        return resolve(choice, providers());
    }

    static BackendProvider resolve(String choice, List<BackendProvider> all) {
        String want = choice.toLowerCase(Locale.ROOT);
        if (want.equals("auto")) {
            // auto never falls back to the float64 reference backend silently unless nothing else runs
            for (BackendProvider p : all) {
                if (availability(p).usable()) {
                    return p;
                }
            }
            throw new BackendUnavailableException("no usable backend found");
        }
        List<String> names = new ArrayList<>();
        for (BackendProvider p : all) {
            names.add(p.name());
            if (p.name().equals(want)) {
                Availability a = availability(p);
                if (!a.usable()) {
                    throw new BackendUnavailableException(p.name() + " backend unavailable: " + a.detail());
                }
                return p;
            }
        }
        throw new UnknownBackendException("unknown backend '" + choice + "' (known: auto, " + String.join(", ", names) + ")");
    }
}
