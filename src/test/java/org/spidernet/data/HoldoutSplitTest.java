package org.spidernet.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HoldoutSplitTest {

    /** Image i has every pixel equal to i and label i % 7, so each image is identifiable. */
    private static ImageDataset numbered(int count) {
        byte[] pixels = new byte[count * 4];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            Arrays.fill(pixels, i * 4, i * 4 + 4, (byte) i);
            labels[i] = (byte) (i % 7);
        }
        return new ImageDataset(count, 1, 2, 2, 7, pixels, labels);
    }

    @Test
    void holdsOutTheLastImages() {
        ImageDataset full = numbered(10);

        HoldoutSplit split = HoldoutSplit.lastN(full, 3);

        assertEquals(7, split.train().count());
        assertEquals(3, split.validation().count());
        for (int i = 0; i < 7; i++) {
            assertEquals(i, split.train().pixel(i, 0, 1, 1));
            assertEquals(i % 7, split.train().label(i));
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(7 + i, split.validation().pixel(i, 0, 0, 0));
            assertEquals((7 + i) % 7, split.validation().label(i));
        }
    }

    @Test
    void isDeterministic() {
        ImageDataset full = numbered(20);
        HoldoutSplit a = HoldoutSplit.lastN(full, 5);
        HoldoutSplit b = HoldoutSplit.lastN(full, 5);
        assertEquals(Arrays.toString(a.validation().copyPixels()),
                Arrays.toString(b.validation().copyPixels()));
    }

    @Test
    void spiderNetHoldoutOfFashionMnistSizedSet() {
        ImageDataset full = numbered(700);
        HoldoutSplit split = HoldoutSplit.lastN(full, HoldoutSplit.SPIDERNET_HOLDOUT);
        assertEquals(60, split.train().count());
        assertEquals(640, split.validation().count());
        assertEquals(60, split.validation().pixel(0, 0, 0, 0));
    }

    @Test
    void refusesEmptySides() {
        ImageDataset full = numbered(5);
        assertThrows(IllegalArgumentException.class, () -> HoldoutSplit.lastN(full, 0));
        assertThrows(IllegalArgumentException.class, () -> HoldoutSplit.lastN(full, 5));
        assertThrows(IllegalArgumentException.class, () -> HoldoutSplit.lastN(full, -1));
    }

    @Test
    void splitsMustAgreeInShape() {
        ImageDataset grey = numbered(3);
        ImageDataset colour = new ImageDataset(1, 3, 2, 2, 7, new byte[12], new byte[1]);
        assertThrows(IllegalArgumentException.class, () -> new HoldoutSplit(grey, colour));
        assertThrows(IllegalArgumentException.class, () -> new DatasetSplit(grey, colour));
    }
}
