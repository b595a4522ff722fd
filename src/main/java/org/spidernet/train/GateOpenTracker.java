package org.spidernet.train;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The deletion rule's bookkeeping: for every gate, how many minibatches of each epoch it was open
 * on. At the end of an epoch, once {@code window} epochs of counts exist, a gate open on fewer
 * than {@code threshold} of the minibatches of the last {@code window} epochs is due for deletion.
 */
public final class GateOpenTracker {
    private final int gates;
    private final int window;
    private final double threshold;
    private final Deque<int[]> openCounts = new ArrayDeque<>();
    private final Deque<Integer> batches = new ArrayDeque<>();
    private int[] current;
    private int currentBatches;

    public GateOpenTracker(int gates, int window, double threshold) {
        this.gates = gates;
        this.window = window;
        this.threshold = threshold;
        this.current = new int[gates];
    }

    /** Records one minibatch: open[g] says whether gate g was open for it. */
    public void record(boolean[] open) {
        for (int g = 0; g < gates; g++) {
            if (open[g]) {
                current[g]++;
            }
        }
        currentBatches++;
    }

    /** Closes the epoch; returns the gates to delete now (empty until the window is full). */
    public List<Integer> endEpoch() {
        openCounts.addLast(current);
        batches.addLast(currentBatches);
        current = new int[gates];
        currentBatches = 0;
        while (openCounts.size() > window) {
            openCounts.removeFirst();
            batches.removeFirst();
        }
        List<Integer> due = new ArrayList<>();
        if (openCounts.size() < window) {
            return due;
        }
        long total = 0;
        for (int b : batches) {
            total += b;
        }
        for (int g = 0; g < gates; g++) {
            long open = 0;
            for (int[] c : openCounts) {
                open += c[g];
            }
            if (open < threshold * total) {
                due.add(g);
            }
        }
        return due;
    }

    /** Fraction of this epoch's minibatches so far on which each gate was open. */
    public double[] currentOpenRate() {
        double[] r = new double[gates];
        for (int g = 0; g < gates; g++) {
            r[g] = currentBatches == 0 ? 0 : current[g] / (double) currentBatches;
        }
        return r;
    }
}
