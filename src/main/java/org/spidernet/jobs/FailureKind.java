package org.spidernet.jobs;

import java.util.Arrays;

/**
 * Why a job gave no result, for failures that are part of search (recorded and searched around),
 * as opposed to faults of the machine (a lost executor, a crash), which the service retries or
 * reports as errors.
 */
public enum FailureKind {
    /** The job's network did not fit the device's memory. */
    OUT_OF_MEMORY("out_of_memory"),
    /** Training or scoring produced a non-finite number. */
    DIVERGED("diverged"),
    /** Any other typed failure the job kind reports (its message says which). */
    FAILED("failed");

    private final String jsonName;

    FailureKind(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    public static FailureKind fromJson(String name) {
        return Arrays.stream(values()).filter(k -> k.jsonName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown job failure kind '" + name + "'"));
    }
}
