package org.spidernet.fuzz;

/** Settings shared by the fuzz targets. */
final class FuzzTargets {
    /**
     * How long one target fuzzes when run with JAZZER_FUZZ=1 and no other limit; scripts/fuzz
     * passes its own. Without JAZZER_FUZZ (mvn test) the targets only replay their inputs.
     */
    static final String MAX_DURATION = "60s";

    private FuzzTargets() {
    }
}
