package org.spidernet.cli;

import java.util.Locale;

/** Parses memory sizes given on the command line: plain bytes or with a K/M/G/T suffix (powers of 1024). */
final class ByteSize {
    private ByteSize() {
    }

    static long parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (t.endsWith("IB")) {
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("B")) {
            t = t.substring(0, t.length() - 1);
        }
        long unit = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'K' -> unit = 1L << 10;
                case 'M' -> unit = 1L << 20;
                case 'G' -> unit = 1L << 30;
                case 'T' -> unit = 1L << 40;
                default -> { }
            }
        }
        if (unit > 1) {
            t = t.substring(0, t.length() - 1);
        }
        double v;
        try {
            v = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a memory size (examples: 1500000000, 512M, 2G)");
        }
        if (!(v > 0) || v * unit > Long.MAX_VALUE) {
            throw new IllegalArgumentException("memory size must be positive, got '" + text + "'");
        }
        return (long) (v * unit);
    }

    static String format(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
