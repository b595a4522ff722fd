package org.spidernet.search;

import java.util.List;
import java.util.Locale;

/**
 * A strategy's option values read from a configuration, each parse failure a one-line error
 * naming the strategy, the option and the value ({@code darts option layers must be an integer,
 * got 'x'}).
 */
public final class OptionValues {
    private OptionValues() {
    }

    public static int integer(SearchConfig cfg, String strategy, String name) {
        try {
            return Integer.parseInt(cfg.option(name).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(strategy + " option " + name + " must be an integer, got '"
                    + org.spidernet.io.Quoted.of(cfg.option(name)) + "'");
        }
    }

    public static double number(SearchConfig cfg, String strategy, String name) {
        try {
            double v = Double.parseDouble(cfg.option(name).trim());
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(strategy + " option " + name + " must be a finite number, got '"
                    + org.spidernet.io.Quoted.of(cfg.option(name)) + "'");
        }
    }

    /** The option's value, lower-cased, which must be one of {@code allowed}. */
    public static String choice(SearchConfig cfg, String strategy, String name, List<String> allowed) {
        String v = cfg.option(name).trim().toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw new IllegalArgumentException(strategy + " option " + name + " must be " + String.join(" or ", allowed)
                    + ", got '" + org.spidernet.io.Quoted.of(cfg.option(name)) + "'");
        }
        return v;
    }

    /** Throws {@code strategy option message} unless {@code ok}. */
    public static void require(boolean ok, String strategy, String message) {
        if (!ok) {
            throw new IllegalArgumentException(strategy + " option " + message);
        }
    }
}
