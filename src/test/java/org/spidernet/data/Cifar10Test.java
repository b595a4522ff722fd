package org.spidernet.data;

import org.spidernet.data.ImageDataset;
import org.spidernet.data.DatasetSplit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spidernet.data.DatasetFixtures.cifarPixel;
import static org.spidernet.data.DatasetFixtures.cifarRecords;
import static org.spidernet.data.DatasetFixtures.write;
import static org.spidernet.data.IdxReaderTest.assertFault;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10Test {

    // Batches of unequal size, so records taken from the wrong file or in the wrong order show.
    private static final int[] BATCH_RECORDS = {2, 1, 3, 1, 2};
    private static final int TRAIN = 9;
    private static final int TEST = 2;

    @TempDir
    Path root;

    /** Label of global training record r; the test set uses {@code 9 - r}. */
    private static int label(int r) {
        return r % 10;
    }

    /** Writes cifar-10-batches-bin/ under root; record numbers run on across batches. */
    private Path writeDataset() {
        Path dir = root.resolve(Cifar10.DIR_NAME);
        int first = 0;
        for (int b = 0; b < BATCH_RECORDS.length; b++) {
            write(dir.resolve(Cifar10.TRAIN_FILES.get(b)), cifarRecords(first, BATCH_RECORDS[b], Cifar10Test::label));
            first += BATCH_RECORDS[b];
        }
        // Test records numbered from 100 so they cannot be mistaken for training records.
        write(dir.resolve(Cifar10.TEST_FILE), cifarRecords(100, TEST, r -> 9 - (r - 100)));
        return dir;
    }

    @Test
    void readsRecordsInFileOrderWithRgbPlanes() throws Exception {
        Path dir = writeDataset();

        DatasetSplit split = Cifar10.load(dir);

        ImageDataset train = split.train();
        assertEquals(TRAIN, train.count());
        assertEquals(3, train.channels());
        assertEquals(32, train.height());
        assertEquals(32, train.width());
        assertEquals(10, train.numClasses());
        for (int r = 0; r < TRAIN; r++) {
            assertEquals(label(r), train.label(r), "label of record " + r);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y += 7) {
                    for (int x = 0; x < 32; x += 5) {
                        assertEquals(cifarPixel(r, c, y, x), train.pixel(r, c, y, x),
                                "record " + r + " channel " + c + " at (" + y + "," + x + ")");
                    }
                }
            }
        }
        // Written-out values: R, G and B of the first pixel of record 3 (first of batch 3) and a
        // pixel one row down, which a transposed read would confuse with (0, 1).
        assertEquals(60, train.pixel(3, 0, 0, 0));
        assertEquals(130, train.pixel(3, 1, 0, 0));
        assertEquals(200, train.pixel(3, 2, 0, 0));
        assertEquals(60 + 6, train.pixel(3, 0, 1, 0));
        assertEquals(60 + 1, train.pixel(3, 0, 0, 1));

        ImageDataset test = split.test();
        assertEquals(TEST, test.count());
        assertEquals(9, test.label(0));
        assertEquals(8, test.label(1));
        assertEquals(cifarPixel(101, 2, 31, 31), test.pixel(1, 2, 31, 31));
    }

    @Test
    void acceptsTheParentDirectory() throws Exception {
        writeDataset();

        DatasetSplit split = Cifar10.load(root);

        assertEquals(TRAIN, split.train().count());
        assertEquals(label(8), split.train().label(8));
    }

    @Test
    void missingFilesAreAllListedWithWhereWeLooked() throws Exception {
        Path dir = writeDataset();
        Files.delete(dir.resolve("data_batch_3.bin"));
        Files.delete(dir.resolve(Cifar10.TEST_FILE));

        DatasetMissingException e = assertThrows(DatasetMissingException.class, () -> Cifar10.load(root));

        String m = e.getMessage();
        assertEquals(dir, e.file());
        assertTrue(m.contains("CIFAR-10 files missing: data_batch_3.bin, test_batch.bin"), m);
        assertTrue(m.contains("looked in " + dir), m);
        assertFalse(m.contains("data_batch_1.bin"), m);
    }

    @Test
    void emptyDirectorySaysItHasNoDataDirectoryBelow() {
        DatasetMissingException e = assertThrows(DatasetMissingException.class, () -> Cifar10.load(root));

        String m = e.getMessage();
        assertTrue(m.contains("data_batch_1.bin, data_batch_2.bin, data_batch_3.bin, data_batch_4.bin, "
                + "data_batch_5.bin, test_batch.bin"), m);
        assertTrue(m.contains("looked in " + root + " and found no cifar-10-batches-bin/ below it"), m);
    }

    @Test
    void absentDirectoryIsReported() {
        Path absent = root.resolve("nothing-here");

        DatasetMissingException e = assertThrows(DatasetMissingException.class, () -> Cifar10.load(absent));

        assertTrue(e.getMessage().contains(absent + ": CIFAR-10 directory not found"), e.getMessage());
    }

    @Test
    void truncatedRecordNamesFileRecordSizeAndLength() throws Exception {
        Path dir = writeDataset();
        Path batch = dir.resolve("data_batch_4.bin");
        byte[] bytes = Files.readAllBytes(batch);
        write(batch, Arrays.copyOf(bytes, bytes.length - 1)); // 1 record of 3073 bytes, minus one

        assertFault(batch, () -> Cifar10.load(dir), "length 3072 bytes", "records of 3073 bytes",
                "1 label byte + 3072 pixel bytes", "0 records and 3072 bytes left over", "truncated");
    }

    @Test
    void extraBytesAreReportedToo() throws Exception {
        Path dir = writeDataset();
        Path test = dir.resolve(Cifar10.TEST_FILE);
        write(test, Arrays.copyOf(Files.readAllBytes(test), 2 * 3073 + 5));

        assertFault(test, () -> Cifar10.load(dir), "length 6151 bytes", "2 records and 5 bytes left over");
    }

    @Test
    void emptyBatchIsReported() throws Exception {
        Path dir = writeDataset();
        Path batch = write(dir.resolve("data_batch_2.bin"), new byte[0]);

        assertFault(batch, () -> Cifar10.load(dir), "the file is empty");
    }

    @Test
    void labelOutOfRangeNamesRecordAndOffset() throws Exception {
        Path dir = writeDataset();
        Path batch = dir.resolve("data_batch_3.bin");
        byte[] bytes = Files.readAllBytes(batch);
        bytes[2 * 3073] = 10; // label byte of the third record
        write(batch, bytes);

        assertFault(batch, () -> Cifar10.load(dir), "label 10 of record 2", "byte offset 6146", "out of range 0..9");
    }

    @Test
    void classNames() {
        assertEquals(10, Cifar10.CLASS_NAMES.size());
        assertEquals("airplane", Cifar10.CLASS_NAMES.get(0));
        assertEquals("truck", Cifar10.CLASS_NAMES.get(9));
    }
}
