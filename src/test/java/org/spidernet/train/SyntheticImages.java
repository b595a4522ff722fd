package org.spidernet.train;

import org.spidernet.data.ImageDataset;

import java.util.Random;

/** A small learnable image set for training tests: each class is a bright square at its own place. */
public final class SyntheticImages {
    private SyntheticImages() {
    }

    public static ImageDataset make(int count, int classes, int size, long seed) {
        Random r = new Random(seed);
        byte[] px = new byte[count * size * size];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            int label = r.nextInt(classes);
            labels[i] = (byte) label;
            int cy = (label * 3) % (size - 2);
            int cx = (label * 5) % (size - 2);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int v = r.nextInt(60);
                    if (y >= cy && y < cy + 3 && x >= cx && x < cx + 3) {
                        v += 180;
                    }
                    px[(i * size + y) * size + x] = (byte) v;
                }
            }
        }
        return new ImageDataset(count, 1, size, size, classes, px, labels);
    }
}
