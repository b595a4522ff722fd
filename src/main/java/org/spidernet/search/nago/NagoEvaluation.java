package org.spidernet.search.nago;

/**
 * The outcome of one {@link NagoJob}: the network's validation accuracy after its epochs, its
 * parameters, its planned training peak, its multiply-adds per image, and the seconds it took
 * (recorded, never compared: a resumed run's are its own).
 */
public record NagoEvaluation(int bracket, int rung, int configuration, int sample, int epochs, double accuracy, long params,
                             long plannedPeakBytes, long macs, double seconds) {
    static final int WIDTH = 10;

    public boolean of(int bracket, int rung, int configuration, int sample) {
        return this.bracket == bracket && this.rung == rung && this.configuration == configuration && this.sample == sample;
    }

    void write(double[] a, int at) {
        double[] v = {bracket, rung, configuration, sample, epochs, accuracy, params, plannedPeakBytes, macs, seconds};
        System.arraycopy(v, 0, a, at, WIDTH);
    }

    static NagoEvaluation read(double[] a, int at) {
        return new NagoEvaluation((int) a[at], (int) a[at + 1], (int) a[at + 2], (int) a[at + 3], (int) a[at + 4], a[at + 5],
                (long) a[at + 6], (long) a[at + 7], (long) a[at + 8], a[at + 9]);
    }
}
