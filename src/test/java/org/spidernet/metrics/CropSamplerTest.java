package org.spidernet.metrics;

import org.junit.jupiter.api.Test;
import org.spidernet.data.ChannelStats;
import org.spidernet.data.ImageDataset;
import org.spidernet.graph.InputSpec;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every crop is a real 3x3 window (no padding) of one normalised channel of one training image. */
class CropSamplerTest {

    @Test
    void cropsAreNormalisedWindowsOfOneChannel() {
        long seed = System.nanoTime();
        InputSpec in = new InputSpec(3, 5, 4, 2);
        ImageDataset images = Fixtures.images(in, 6, seed);
        ChannelStats stats = images.channelStats();
        int n = 200;
        double[] crops = new CropSampler(images, stats, new SplittableRandom(seed)).next(n);
        Set<String> windowsSeen = new HashSet<>();
        for (int k = 0; k < n; k++) {
            boolean found = false;
            for (int i = 0; i < images.count() && !found; i++) {
                for (int c = 0; c < in.channels() && !found; c++) {
                    for (int y0 = 0; y0 + 3 <= in.height() && !found; y0++) {
                        for (int x0 = 0; x0 + 3 <= in.width() && !found; x0++) {
                            boolean all = true;
                            for (int t = 0; t < 9 && all; t++) {
                                double v = (images.pixel(i, c, y0 + t / 3, x0 + t % 3) / 255.0 - stats.mean(c)) / stats.std(c);
                                all = Math.abs(v - crops[k * 9 + t]) <= 1e-12;
                            }
                            if (all) {
                                found = true;
                                windowsSeen.add(i + "/" + c + "/" + y0 + "/" + x0);
                            }
                        }
                    }
                }
            }
            assertTrue(found, "seed " + seed + ": crop " + k + " is no 3x3 window of any normalised channel");
        }
        // 6 images x 3 channels x 3 x 2 offsets = 108 windows: 200 draws must hit many of them
        assertTrue(windowsSeen.size() > 40, "seed " + seed + ": only " + windowsSeen.size() + " distinct windows");
    }

    @Test
    void sameGeneratorSameCropsAndTooSmallImagesRejected() {
        InputSpec in = new InputSpec(1, 4, 4, 2);
        ImageDataset images = Fixtures.images(in, 3, 1);
        ChannelStats stats = images.channelStats();
        assertArrayEquals(new CropSampler(images, stats, new SplittableRandom(9)).next(10),
                new CropSampler(images, stats, new SplittableRandom(9)).next(10));
        ImageDataset tiny = Fixtures.images(new InputSpec(1, 2, 5, 2), 3, 1);
        assertThrows(IllegalArgumentException.class,
                () -> new CropSampler(tiny, tiny.channelStats(), new SplittableRandom(1)));
    }
}
