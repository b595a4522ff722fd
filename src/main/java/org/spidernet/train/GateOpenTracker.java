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

    /** Per finished epoch in the window, oldest first: the open counts and the number of minibatches. */
    public List<int[]> windowCounts() {
        List<int[]> list = new ArrayList<>();
        for (int[] c : openCounts) {
            list.add(c.clone());
        }
        return list;
    }

    public List<Integer> windowBatches() {
        return new ArrayList<>(batches);
    }

    /** Restores the window written by {@link #windowCounts()} / {@link #windowBatches()} (between epochs). */
    public void restore(List<int[]> counts, List<Integer> batchCounts) {
        if (counts.size() != batchCounts.size()) {
            throw new IllegalArgumentException("tracker state: " + counts.size() + " count rows but " + batchCounts.size() + " batch totals");
        }
        openCounts.clear();
        batches.clear();
        for (int i = 0; i < counts.size(); i++) {
            if (counts.get(i).length != gates) {
                throw new IllegalArgumentException("tracker state: row " + i + " has " + counts.get(i).length + " gates, expected " + gates);
            }
            openCounts.addLast(counts.get(i).clone());
            batches.addLast(batchCounts.get(i));
        }
        current = new int[gates];
        currentBatches = 0;
    }
}
