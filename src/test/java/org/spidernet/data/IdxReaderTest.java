package org.spidernet.data;

import org.spidernet.data.ImageDataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spidernet.data.DatasetFixtures.gzip;
import static org.spidernet.data.DatasetFixtures.idxImages;
import static org.spidernet.data.DatasetFixtures.idxLabel;
import static org.spidernet.data.DatasetFixtures.idxLabels;
import static org.spidernet.data.DatasetFixtures.idxPixel;
import static org.spidernet.data.DatasetFixtures.write;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

class IdxReaderTest {

    // Rows != cols, so reading column-major would put values in the wrong places and
    // the shape check would also notice.
    private static final int COUNT = 3;
    private static final int ROWS = 4;
    private static final int COLS = 5;

    @TempDir
    Path dir;

    @Test
    void readsPlainImagesAndLabelsInOrder() throws Exception {
        Path images = write(dir.resolve("images"), idxImages(COUNT, ROWS, COLS));
        Path labels = write(dir.resolve("labels"), idxLabels(COUNT));

        ImageDataset data = IdxReader.read(images, labels, 10);

        assertEquals(COUNT, data.count());
        assertEquals(1, data.channels());
        assertEquals(ROWS, data.height());
        assertEquals(COLS, data.width());
        assertEquals(10, data.numClasses());
        assertEveryPixelAndLabel(data);
        // Spot values written out, so the formula in the fixture cannot hide a shared mistake.
        assertEquals(0, data.pixel(0, 0, 0, 0));
        assertEquals(1, data.pixel(0, 0, 0, 1));
        assertEquals(10, data.pixel(0, 0, 1, 0));
        assertEquals(134, data.pixel(2, 0, 3, 4));
        assertArrayEquals(new int[] {3, 0, 7}, data.labels());
    }

    @Test
    void gzipIsRecognisedByContentNotByName() throws Exception {
        // gzipped data under a plain name, plain data under a .gz name: both must read.
        Path gzNoSuffix = write(dir.resolve("images-idx3-ubyte"), gzip(idxImages(COUNT, ROWS, COLS)));
        Path plainWithSuffix = write(dir.resolve("labels-idx1-ubyte.gz"), idxLabels(COUNT));

        ImageDataset data = IdxReader.read(gzNoSuffix, plainWithSuffix, 10);

        assertEveryPixelAndLabel(data);
    }

    @Test
    void gzippedAndPlainGiveTheSameData() throws Exception {
        Path plain = write(dir.resolve("plain"), idxImages(COUNT, ROWS, COLS));
        Path zipped = write(dir.resolve("zipped.gz"), gzip(idxImages(COUNT, ROWS, COLS)));

        IdxReader.Images a = IdxReader.readImages(plain);
        IdxReader.Images b = IdxReader.readImages(zipped);

        assertArrayEquals(a.pixels(), b.pixels());
        assertEquals(COUNT * ROWS * COLS, a.pixels().length);
    }

    @Test
    void emptyFileWithZeroImagesIsValid() throws Exception {
        Path images = write(dir.resolve("images"), idxImages(0, ROWS, COLS));
        Path labels = write(dir.resolve("labels"), idxLabels(0));

        ImageDataset data = IdxReader.read(images, labels, 10);

        assertEquals(0, data.count());
        assertEquals(ROWS, data.height());
    }

    @Test
    void wrongMagicInImagesFileSaysExpectedAndFound() {
        byte[] bytes = idxImages(COUNT, ROWS, COLS);
        ByteBuffer.wrap(bytes).putInt(0, 0x00000802);
        Path file = write(dir.resolve("bad-images"), bytes);

        DatasetFormatException e = assertFault(file, () -> IdxReader.readImages(file),
                "wrong magic number", "expected 0x00000803", "found 0x00000802");
        assertTrue(e.getMessage().contains("not an IDX file"), e.getMessage());
    }

    @Test
    void labelsFileGivenAsImagesIsCalledOut() {
        Path file = write(dir.resolve("swapped"), idxLabels(COUNT));

        assertFault(file, () -> IdxReader.readImages(file),
                "expected 0x00000803", "found 0x00000801", "label file", "swapped");
    }

    @Test
    void wrongMagicInGzippedLabelsFile() {
        Path file = write(dir.resolve("labels.gz"), gzip(idxImages(COUNT, ROWS, COLS)));

        assertFault(file, () -> IdxReader.readLabels(file, 10),
                "wrong magic number", "expected 0x00000801", "found 0x00000803");
    }

    @Test
    void truncatedImagesSaysExpectedAndFoundLength() {
        byte[] full = idxImages(COUNT, ROWS, COLS);
        Path file = write(dir.resolve("short-images"), Arrays.copyOf(full, full.length - 1));

        assertFault(file, () -> IdxReader.readImages(file), "truncated", "3 images of 4x5",
                "should be 76 bytes", "it is 75 bytes");
    }

    @Test
    void truncatedGzippedImagesCountsDecompressedBytes() {
        byte[] full = idxImages(COUNT, ROWS, COLS);
        // A complete gzip stream of too little data: the header disagrees with the content.
        Path file = write(dir.resolve("short-images.gz"), gzip(Arrays.copyOf(full, full.length - 7)));

        assertFault(file, () -> IdxReader.readImages(file), "truncated", "decompressed data",
                "should be 76 bytes", "it is 69 bytes");
    }

    @Test
    void headerCountLargerThanDataIsReported() {
        byte[] bytes = idxImages(COUNT, ROWS, COLS);
        ByteBuffer.wrap(bytes).putInt(4, 1_000_000); // claims a million images, holds three
        Path file = write(dir.resolve("count-too-big"), bytes);

        assertFault(file, () -> IdxReader.readImages(file), "truncated", "1000000 images of 4x5",
                "should be 20000016 bytes", "it is 76 bytes");
    }

    @Test
    void gzippedHeaderPromisingMoreThanDeflateCanHoldIsRefusedFromTheSizes() throws Exception {
        // 2000 images of 1000x1000 = 2 GB decompressed from a ~100-byte gzip: impossible (deflate's
        // bound is 1032:1), refused before inflating anything.
        byte[] bytes = idxImages(COUNT, ROWS, COLS);
        ByteBuffer.wrap(bytes).putInt(4, 2000).putInt(8, 1000).putInt(12, 1000);
        Path file = write(dir.resolve("bomb.gz"), gzip(bytes));
        long size = java.nio.file.Files.size(file);

        assertFault(file, () -> IdxReader.readImages(file), "truncated", "2000 images of 1000x1000",
                "2000000016 bytes decompressed", "gzip file of " + size + " bytes");
    }

    @Test
    void gzippedDataNearDeflatesBoundStillReads() {
        // zeros compress near deflate's bound; such a file is legitimate and must not trip the check
        int rows = 512, cols = 512, count = 8;
        byte[] bytes = idxImages(count, rows, cols);
        Arrays.fill(bytes, 16, bytes.length, (byte) 0);
        Path file = write(dir.resolve("zeros.gz"), gzip(bytes));

        IdxReader.Images images = assertDoesNotThrow(() -> IdxReader.readImages(file));
        assertEquals(count * rows * cols, images.pixels().length);
    }

    @Test
    void fileLongerThanHeaderSaysIsReported() {
        byte[] bytes = idxImages(COUNT, ROWS, COLS);
        ByteBuffer.wrap(bytes).putInt(4, COUNT - 1);
        Path file = write(dir.resolve("count-too-small"), bytes);

        assertFault(file, () -> IdxReader.readImages(file), "longer than its header says",
                "2 images of 4x5", "should be 56 bytes", "it is 76 bytes");
    }

    @Test
    void gzippedFileLongerThanHeaderSaysIsReported() {
        byte[] labels = Arrays.copyOf(idxLabels(COUNT), 8 + COUNT + 4);
        Path file = write(dir.resolve("labels.gz"), gzip(labels));

        assertFault(file, () -> IdxReader.readLabels(file, 10), "longer than its header says",
                "3 labels", "should be 11 bytes", "it is 15 bytes");
    }

    @Test
    void truncatedHeaderIsReported() {
        Path file = write(dir.resolve("stub"), Arrays.copyOf(idxImages(COUNT, ROWS, COLS), 10));

        assertFault(file, () -> IdxReader.readImages(file), "truncated header", "16 bytes", "only 10 bytes");
    }

    @Test
    void negativeDimensionsAreReported() {
        byte[] bytes = idxImages(COUNT, ROWS, COLS);
        ByteBuffer.wrap(bytes).putInt(12, -5);
        Path file = write(dir.resolve("negative"), bytes);

        assertFault(file, () -> IdxReader.readImages(file), "3 images of 4x-5", "each dimension >= 1");
    }

    @Test
    void imageAndLabelCountsMustAgree() {
        Path images = write(dir.resolve("images"), idxImages(COUNT, ROWS, COLS));
        Path labels = write(dir.resolve("labels"), idxLabels(COUNT - 1));

        DatasetFormatException e = assertFault(labels, () -> IdxReader.read(images, labels, 10),
                "holds 2 labels", "holds 3 images");
        assertTrue(e.getMessage().contains(images.toString()), "names the images file too: " + e.getMessage());
    }

    @Test
    void labelOutOfRangeNamesValueIndexAndRange() {
        byte[] bytes = idxLabels(COUNT);
        bytes[8 + 2] = 10;
        Path file = write(dir.resolve("labels"), bytes);

        assertFault(file, () -> IdxReader.readLabels(file, 10), "label 10 at index 2", "byte offset 10",
                "out of range 0..9");
    }

    @Test
    void labelValuesAreUnsigned() {
        byte[] bytes = idxLabels(COUNT);
        bytes[8] = (byte) 200; // a signed read would see -56 and let it pass a "< numClasses" check
        Path file = write(dir.resolve("labels"), bytes);

        assertFault(file, () -> IdxReader.readLabels(file, 10), "label 200 at index 0");
    }

    @Test
    void missingFileIsReportedAsMissing() {
        Path file = dir.resolve("nowhere").resolve("train-images-idx3-ubyte");

        DatasetFormatException e = assertFault(file, () -> IdxReader.readImages(file), "file not found");
        assertInstanceOf(DatasetMissingException.class, e);
    }

    @Test
    void directoryInsteadOfFileIsReported() {
        assertFault(dir, () -> IdxReader.readImages(dir), "not a regular file");
    }

    @Test
    void corruptGzipIsReported() {
        byte[] zipped = gzip(idxImages(COUNT, ROWS, COLS));
        for (int i = 12; i < zipped.length - 8; i++) {
            zipped[i] ^= (byte) 0x5A; // scramble the deflate stream, keep the gzip header
        }
        Path file = write(dir.resolve("corrupt.gz"), zipped);

        assertFault(file, () -> IdxReader.readImages(file), "corrupt or truncated gzip data");
    }

    @Test
    void cutOffGzipIsReported() {
        byte[] zipped = gzip(idxImages(50, 9, 9));
        Path file = write(dir.resolve("cut.gz"), Arrays.copyOf(zipped, zipped.length / 2));

        assertFault(file, () -> IdxReader.readImages(file), "corrupt or truncated gzip data");
    }

    @Test
    void gzipMagicWithGarbageHeaderIsReported() {
        Path file = write(dir.resolve("fake.gz"), new byte[] {0x1f, (byte) 0x8b, 0, 0, 0});

        assertFault(file, () -> IdxReader.readImages(file), "corrupt or truncated gzip data");
    }

    private static void assertEveryPixelAndLabel(ImageDataset data) {
        for (int i = 0; i < data.count(); i++) {
            assertEquals(idxLabel(i), data.label(i), "label of image " + i);
            for (int y = 0; y < data.height(); y++) {
                for (int x = 0; x < data.width(); x++) {
                    assertEquals(idxPixel(i, y, x), data.pixel(i, 0, y, x), "image " + i + " at (" + y + "," + x + ")");
                }
            }
        }
    }

    /** Asserts a DatasetFormatException that blames {@code file} and mentions every fragment. */
    static DatasetFormatException assertFault(Path file, Executable call, String... fragments) {
        DatasetFormatException e = assertThrows(DatasetFormatException.class, call);
        assertEquals(file, e.file());
        assertTrue(e.getMessage().contains(file.toString()), "message names the file: " + e.getMessage());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "message should contain '" + fragment + "': " + e.getMessage());
        }
        return e;
    }
}
