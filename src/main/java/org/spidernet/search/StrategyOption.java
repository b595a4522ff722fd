package org.spidernet.search;

/**
 * A setting a strategy reads, as {@code spidernet strategies} lists it: the {@code search} flag
 * that sets it (without the dashes), what it does, and its defaults without and with a device
 * (taken from {@link SearchDefaults}, where they are written once).
 */
public record StrategyOption(String name, String description, String cpuDefault, String gpuDefault) {
    public StrategyOption {
        if (name == null || name.isBlank() || name.startsWith("-")) {
            throw new IllegalArgumentException("an option's name is its flag without dashes, got '" + name + "'");
        }
    }
}
