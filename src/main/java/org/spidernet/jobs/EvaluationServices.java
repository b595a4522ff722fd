package org.spidernet.jobs;

import java.util.Map;
import java.util.ServiceLoader;

/** Finds a distributed evaluation service by its provider's name. */
public final class EvaluationServices {
    private EvaluationServices() {
    }

    /**
     * Opens provider {@code name}'s service at {@code master}. Throws {@link IllegalArgumentException}
     * when no such provider is on the class path, saying how to put it there.
     */
    public static EvaluationService open(String name, String master, Map<String, String> conf) {
        for (EvaluationServiceProvider p : ServiceLoader.load(EvaluationServiceProvider.class,
                EvaluationServices.class.getClassLoader())) {
            if (p.name().equals(name)) {
                return p.open(master, conf);
            }
        }
        throw new IllegalArgumentException("--" + name + ": the " + name + " module is not on the class path; run "
                + "scripts/spidernet-" + name + " (it builds the module) instead of scripts/spidernet");
    }
}
