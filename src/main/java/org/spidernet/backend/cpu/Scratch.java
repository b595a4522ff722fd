package org.spidernet.backend.cpu;

/**
 * Grow-only work arrays owned by one worker thread. Kernels ask for a numbered slot with the
 * size they need; the array is reused across calls, so a training step allocates nothing once
 * the largest shape has been seen. Contents are not cleared between uses.
 */
final class Scratch {
    /** Input planes in a {@link PlaneLayout}. */
    static final int IN = 0;
    /** One output plane in layout width. */
    static final int OUT = 1;
    /**
     * A source plane (or row) read from a buffer in one bulk copy before it is rearranged, e.g. by
     * {@link PlaneLayout#load}.
     */
    static final int SOURCE = 2;
    /** One destination plane being accumulated into. */
    static final int PLANE = 3;
    /** Gradient planes (dy rows in layout width, or a scattered input gradient). */
    static final int GRAD = 4;
    /** float64 to float32 conversion on the calling thread (upload, download). */
    static final int HOST = 5;
    /** Weights downloaded by the calling thread and only read inside a parallel loop. */
    static final int WEIGHTS = 6;
    /** A rearranged copy of {@link #WEIGHTS}, same rules. */
    static final int WEIGHTS_T = 7;
    /** Per output position, the layout index of its window's maximum ({@link TapKernels#argMax}). */
    static final int ARG = 8;

    static final int SLOTS = 9;

    private final float[][] floats = new float[SLOTS][];
    private double[] doubles;

    /** A float array of at least {@code size} elements for slot {@code slot}. */
    float[] floats(int slot, int size) {
        float[] a = floats[slot];
        if (a == null || a.length < size) {
            a = new float[size];
            floats[slot] = a;
        }
        return a;
    }

    /** A double array of at least {@code size} elements. */
    double[] doubles(int size) {
        if (doubles == null || doubles.length < size) {
            doubles = new double[size];
        }
        return doubles;
    }

    /** Bytes currently held, for diagnostics. */
    long bytes() {
        long b = (doubles == null ? 0 : 8L * doubles.length);
        for (float[] a : floats) {
            b += a == null ? 0 : 4L * a.length;
        }
        return b;
    }
}
