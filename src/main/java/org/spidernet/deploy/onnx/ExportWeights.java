package org.spidernet.deploy.onnx;

import java.util.Map;

/**
 * The weights map of {@code Network.exportState()} as the exporter reads it: each entry must be
 * present with the size its node implies, and every value that goes into the model finite in
 * float32 (an ONNX model holds float32 initializers, and a NaN or an overflow means a diverged
 * network), else an {@link OnnxExportException} naming the entry.
 */
final class ExportWeights {
    private final Map<String, double[]> entries;

    ExportWeights(Map<String, double[]> entries) {
        this.entries = Map.copyOf(entries);
    }

    /** Entry {@code name} with exactly {@code size} values (read by the exporter, not written: gates, alphas). */
    double[] values(String name, int size) {
        double[] v = entries.get(name);
        if (v == null) {
            throw new OnnxExportException("weights: entry '" + name + "' missing");
        }
        if (v.length != size) {
            throw new OnnxExportException("weights: entry '" + name + "' has " + v.length + " values, expected " + size);
        }
        return v;
    }

    /** A one-value entry (a gate weight). */
    double scalar(String name) {
        return values(name, 1)[0];
    }

    /** Entry {@code name} rounded to float32, the form it takes in the model; every value must stay finite. */
    float[] floats(String name, int size) {
        double[] v = values(name, size);
        float[] f = new float[size];
        for (int i = 0; i < size; i++) {
            f[i] = (float) v[i];
            if (!Float.isFinite(f[i])) {
                throw new OnnxExportException("weights: entry '" + name + "' value " + i + " is " + v[i]
                        + ", not a finite float32 (a diverged network cannot be exported)");
            }
        }
        return f;
    }
}
