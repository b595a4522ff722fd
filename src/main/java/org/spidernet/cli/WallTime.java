package org.spidernet.cli;

import java.util.Locale;

/** Parses wall-clock durations given on the command line: seconds, or with an s/m/h suffix (90, 90s, 30m, 2h). */
final class WallTime {
    private WallTime() {
    }

    static double parseSeconds(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        double unit = 1;
        if (t.endsWith("h")) {
            unit = 3600;
        } else if (t.endsWith("m")) {
            unit = 60;
        }
        if (t.endsWith("h") || t.endsWith("m") || t.endsWith("s")) {
            t = t.substring(0, t.length() - 1);
        }
        double v;
        try {
            v = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (examples: 900, 90s, 30m, 2h)");
        }
        if (!(v > 0) || Double.isInfinite(v * unit)) {
            throw new IllegalArgumentException("duration must be positive and finite, got '" + text + "'");
        }
        return v * unit;
    }
}
