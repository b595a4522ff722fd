package org.spidernet.metrics;

import java.util.SplittableRandom;

/**
 * Image indices in random order, each image once per pass and then a fresh shuffle: what a
 * shuffled data loader yields. Drawn lazily (Fisher-Yates one step per index), so taking 192
 * images of 50,000 costs 192 swaps plus the index array.
 */
final class ShuffledIndices {
    private final SplittableRandom random;
    private final int[] order;
    private int next;

    ShuffledIndices(int count, SplittableRandom random) {
        if (count < 1) {
            throw new IllegalArgumentException("nothing to draw from: " + count + " images");
        }
        this.random = random;
        this.order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
    }

    int next() {
        if (next == order.length) {
            next = 0;
        }
        int j = next + random.nextInt(order.length - next);
        int v = order[j];
        order[j] = order[next];
        order[next] = v;
        next++;
        return v;
    }

    int[] next(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = next();
        }
        return out;
    }
}
