package org.spidernet.bench;

import org.spidernet.data.ImageDataset;
import org.spidernet.graph.InputSpec;

import java.util.Random;

/**
 * Seeded uniform random images and labels of a genome's input shape: what the metric benchmarks
 * score with, so they need no dataset installed (scoring cost does not depend on image content).
 */
final class SyntheticImages {
    private SyntheticImages() {
    }

    static ImageDataset of(InputSpec in, int count, long seed) {
        Random r = new Random(seed);
        byte[] px = new byte[count * in.channels() * in.height() * in.width()];
        r.nextBytes(px);
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) r.nextInt(in.classes());
        }
        return new ImageDataset(count, in.channels(), in.height(), in.width(), in.classes(), px, labels);
    }
}
