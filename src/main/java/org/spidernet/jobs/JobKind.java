package org.spidernet.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A kind of job (a plug-in found through {@link java.util.ServiceLoader}, see {@link JobKinds}):
 * turns a description into a result. A run must depend on nothing but the description and what
 * its references name, so in-process and distributed runs give identical outcomes. Typed failures
 * are thrown as {@link JobFailure}; anything else thrown is a fault, which a distributed service
 * retries and otherwise reports as the run's error.
 */
public interface JobKind {

    /** The name jobs carry, e.g. {@code score-split}. */
    String name();

    JsonNode run(ObjectNode spec, JobEnvironment env) throws JobFailure;
}
