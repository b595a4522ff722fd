package org.spidernet.data;

import org.spidernet.data.ImageDataset;
import org.spidernet.data.DatasetSplit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spidernet.data.DatasetFixtures.cifarPixel;
import static org.spidernet.data.DatasetFixtures.cifarRecords;
import static org.spidernet.data.DatasetFixtures.write;
import static org.spidernet.data.IdxReaderTest.assertFault;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar100Test {

    @TempDir
    Path root;

    // Coarse and fine labels differ for every record, and the fine ones go past 20, so reading the
    // coarse byte (or the wrong offset) as the label shows.
    private static int coarse(int r) {
        return (r * 3 + 1) % 20;
    }

    private static int fine(int r) {
        return (r * 37 + 50) % 100;
    }

    private Path writeDataset() {
        Path dir = root.resolve(Cifar100.DIR_NAME);
        write(dir.resolve(Cifar100.TRAIN_FILE), cifarRecords(0, 4, Cifar100Test::coarse, Cifar100Test::fine));
        write(dir.resolve(Cifar100.TEST_FILE), cifarRecords(10, 2, Cifar100Test::coarse, Cifar100Test::fine));
        return dir;
    }

    @Test
    void usesFineLabelsAndSkipsBothLabelBytes() throws Exception {
        Path dir = writeDataset();

        DatasetSplit split = Cifar100.load(dir);

        ImageDataset train = split.train();
        assertEquals(4, train.count());
        assertEquals(100, train.numClasses());
        assertEquals(3, train.channels());
        for (int r = 0; r < 4; r++) {
            assertEquals(fine(r), train.label(r), "fine label of record " + r);
            for (int c = 0; c < 3; c++) {
                assertEquals(cifarPixel(r, c, 0, 0), train.pixel(r, c, 0, 0));
                assertEquals(cifarPixel(r, c, 31, 31), train.pixel(r, c, 31, 31));
                assertEquals(cifarPixel(r, c, 5, 17), train.pixel(r, c, 5, 17));
            }
        }
        assertEquals(50, train.label(0));
        assertEquals(87, train.label(1));
        assertEquals(20, train.pixel(1, 0, 0, 0));
        assertEquals(90, train.pixel(1, 1, 0, 0));
        assertEquals(160, train.pixel(1, 2, 0, 0));

        assertEquals(2, split.test().count());
        assertEquals(fine(11), split.test().label(1));
        assertEquals(cifarPixel(11, 1, 3, 3), split.test().pixel(1, 1, 3, 3));
    }

    @Test
    void acceptsTheParentDirectory() throws Exception {
        writeDataset();
        assertEquals(4, Cifar100.load(root).train().count());
    }

    @Test
    void recordSizeIs3074() throws Exception {
        Path dir = writeDataset();
        Path train = dir.resolve(Cifar100.TRAIN_FILE);
        // Four CIFAR-10-sized records: a whole number of 3073-byte records but not of 3074.
        write(train, cifarRecords(0, 4, r -> 1));

        assertFault(train, () -> Cifar100.load(dir), "length 12292 bytes", "records of 3074 bytes",
                "1 coarse label byte + 1 fine label byte + 3072 pixel bytes", "3 records and 3070 bytes left over");
    }

    @Test
    void fineLabelOutOfRange() throws Exception {
        Path dir = writeDataset();
        Path test = dir.resolve(Cifar100.TEST_FILE);
        byte[] bytes = Files.readAllBytes(test);
        bytes[3074 + 1] = 100;
        write(test, bytes);

        assertFault(test, () -> Cifar100.load(dir), "fine label 100 of record 1", "byte offset 3075", "out of range 0..99");
    }

    @Test
    void coarseLabelOutOfRange() throws Exception {
        Path dir = writeDataset();
        Path train = dir.resolve(Cifar100.TRAIN_FILE);
        byte[] bytes = Files.readAllBytes(train);
        bytes[0] = 20;
        write(train, bytes);

        assertFault(train, () -> Cifar100.load(dir), "coarse label 20 of record 0", "out of range 0..19");
    }

    @Test
    void missingTestFileIsNamed() throws Exception {
        Path dir = writeDataset();
        Files.delete(dir.resolve(Cifar100.TEST_FILE));

        DatasetMissingException e = assertThrows(DatasetMissingException.class, () -> Cifar100.load(dir));

        assertTrue(e.getMessage().contains("CIFAR-100 files missing: test.bin"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }

    @Test
    void hundredDistinctFineClassNamesInAlphabeticalOrder() {
        List<String> names = Cifar100.CLASS_NAMES;
        assertEquals(100, names.size());
        assertEquals(100, new HashSet<>(names).size());
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(null);
        assertEquals(sorted, names);
        assertEquals(Arrays.asList("apple", "worm"), Arrays.asList(names.get(0), names.get(99)));
    }
}
