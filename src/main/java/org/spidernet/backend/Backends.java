package org.spidernet.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/** Finds backend plug-ins and resolves a user's choice ({@code auto} or a name) to one. */
public final class Backends {
    private Backends() {
    }

    /** All providers on the class path, best rank first. */
    public static List<BackendProvider> providers() {
        List<BackendProvider> list = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class).forEach(list::add);
        list.sort(Comparator.comparingInt(BackendProvider::rank).reversed());
        return list;
    }

    /**
     * The provider for {@code choice}: a provider's name, or {@code auto} for the best usable one.
     * Throws {@link BackendUnavailableException} naming the reason when the choice cannot run.
     */
    public static BackendProvider resolve(String choice) {
        String want = choice.toLowerCase(Locale.ROOT);
        List<BackendProvider> all = providers();
        if (want.equals("auto")) {
            // auto never falls back to the float64 reference backend silently unless nothing else runs
            for (BackendProvider p : all) {
                if (p.availability().usable()) {
                    return p;
                }
            }
            throw new BackendUnavailableException("no usable backend found");
        }
        List<String> names = new ArrayList<>();
        for (BackendProvider p : all) {
            names.add(p.name());
            if (p.name().equals(want)) {
                Availability a = p.availability();
                if (!a.usable()) {
                    throw new BackendUnavailableException(p.name() + " backend unavailable: " + a.detail());
                }
                return p;
            }
        }
        throw new BackendUnavailableException("unknown backend '" + choice + "' (known: auto, " + String.join(", ", names) + ")");
    }
}
