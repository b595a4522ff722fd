package org.spidernet.metrics;

import java.nio.LongBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Binary activation codes: for every sample, the bit {@code [pre-activation > 0]} of every ReLU
 * unit, all ReLUs concatenated in schedule order (N_A units in all). Rows are packed 64 units to
 * a long, so distinct-code counting hashes packed words; nothing is kept per layer. (NASWOT's
 * Hamming kernel needs no host codes: {@link HammingLogDet} accumulates it on the backend.)
 */
final class ActivationCodes {
    private final long[][] rows;
    private final long units;
    private int filled;
    private boolean finite = true;

    ActivationCodes(int samples, long unitsPerSample) {
        long words = (unitsPerSample + 63) / 64;
        if (words > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(unitsPerSample + " ReLU units per sample is too many to pack");
        }
        this.units = unitsPerSample;
        this.rows = new long[samples][(int) words];
    }

    /**
     * Appends one forward pass's samples, from the ReLU inputs ({@code Network.reluInputs()}: one
     * {@code [batch, ...]} array per ReLU). A NaN pre-activation has no sign, so it marks the codes
     * as not finite instead of counting as 0.
     */
    void append(List<double[]> reluInputs, int batch) {
        if (filled + batch > rows.length) {
            throw new IllegalStateException("codes hold " + rows.length + " samples, appending " + batch
                    + " to " + filled);
        }
        long offset = 0;
        for (double[] a : reluInputs) {
            int per = a.length / batch;
            for (int n = 0; n < batch; n++) {
                long[] row = rows[filled + n];
                int base = n * per;
                for (int u = 0; u < per; u++) {
                    double v = a[base + u];
                    if (v > 0) {
                        long bit = offset + u;
                        row[(int) (bit >>> 6)] |= 1L << (bit & 63);
                    } else if (!(v <= 0)) {
                        finite = false;
                    }
                }
            }
            offset += per;
        }
        if (offset != units) {
            throw new IllegalArgumentException("ReLU inputs hold " + offset + " units per sample, expected " + units);
        }
        filled += batch;
    }

    int samples() {
        return filled;
    }

    long units() {
        return units;
    }

    /** False when some pre-activation was NaN (its sign, and so the code, is undefined). */
    boolean finite() {
        return finite;
    }

    /** Number of distinct codes among the samples appended so far. */
    int distinctCount() {
        Set<LongBuffer> seen = new HashSet<>();
        for (int i = 0; i < filled; i++) {
            seen.add(LongBuffer.wrap(rows[i])); // LongBuffer equality and hash are by content
        }
        return seen.size();
    }
}
