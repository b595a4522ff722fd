package org.spidernet.jobs;

import java.util.Map;

/**
 * A distributed evaluation service, found through {@link java.util.ServiceLoader} (the Spark
 * module's is {@code spark}): kept out of the core so the core and the GPU bundle carry none of
 * its libraries.
 */
public interface EvaluationServiceProvider {

    /** The name a command line selects it by, e.g. {@code spark}. */
    String name();

    /**
     * Connects to {@code master} (the provider's own address syntax, e.g. {@code local[2]} or
     * {@code spark://HOST:PORT}) with further settings {@code conf}; throws
     * {@link IllegalArgumentException} with a one-line reason when the address or a setting is bad.
     */
    EvaluationService open(String master, Map<String, String> conf);
}
