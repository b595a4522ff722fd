package org.spidernet.data;

import org.spidernet.data.ChannelStats;
import org.spidernet.data.DatasetSplit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Loads the real Fashion-MNIST from the Debian package's directory. Skipped, with the reason
 * shown, where the package is not installed (scripts/install-fashion-mnist installs it).
 */
class FashionMnistRealDataTest {

    private static DatasetSplit data;

    @BeforeAll
    static void load() throws Exception {
        assumeTrue(FashionMnist.LAYOUT.isPresentIn(FashionMnist.SYSTEM_DIR),
                "Fashion-MNIST not installed in " + FashionMnist.SYSTEM_DIR
                        + "; run scripts/install-fashion-mnist to include this test");
        data = DatasetRegistry.load("fashion-mnist", FashionMnist.SYSTEM_DIR);
    }

    @Test
    void hasTheOfficialSizesAndBalancedClasses() {
        assertEquals(60_000, data.train().count());
        assertEquals(10_000, data.test().count());
        assertEquals(1, data.train().channels());
        assertEquals(28, data.train().height());
        assertEquals(28, data.train().width());
        assertEquals(10, data.train().numClasses());
        int[] trainCounts = new int[10];
        Arrays.fill(trainCounts, 6_000);
        assertArrayEquals(trainCounts, data.train().classCounts());
        int[] testCounts = new int[10];
        Arrays.fill(testCounts, 1_000);
        assertArrayEquals(testCounts, data.test().classCounts());
    }

    @Test
    void firstImagesAreTheKnownOnes() {
        // The first training image of the official release is an ankle boot, the first test one too.
        assertEquals(9, data.train().label(0));
        assertEquals(9, data.test().label(0));
        // Pixels are not all zero (a reader that skipped the data would leave them so).
        int sum = 0;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                sum += data.train().pixel(0, 0, y, x);
            }
        }
        assertTrue(sum > 0, "first image has ink");
    }

    @Test
    void trainingStatisticsMatchTheWidelyQuotedValues() {
        // Commonly used normalisation constants for Fashion-MNIST: mean 0.2860, std 0.3530.
        ChannelStats stats = data.train().channelStats();
        assertEquals(0.2860, stats.mean(0), 5e-4);
        assertEquals(0.3530, stats.std(0), 5e-4);
    }

    @Test
    void defaultLocationIsFoundWithoutADirectory() throws Exception {
        DatasetSplit viaDefault = DatasetRegistry.load("fashion-mnist", null);
        assertEquals(60_000, viaDefault.train().count());
        assertEquals(data.test().label(123), viaDefault.test().label(123));
    }
}
