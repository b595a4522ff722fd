package org.spidernet.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntUnaryOperator;
import java.util.zip.GZIPOutputStream;

/**
 * Writes small dataset files in the real on-disk layouts. Pixel values are a function of image,
 * channel, row and column that differ along every axis, so a reader that is off by one record,
 * transposes rows and columns or swaps colour planes reads values the test can tell apart.
 */
public final class DatasetFixtures {

    private DatasetFixtures() {
    }

    /**
     * Grey pixel of an IDX fixture: image i, row y, column x. Distinct for every pixel of up to 5
     * images of at most 5 rows x 10 columns (the fixtures stay inside that); larger files wrap.
     */
    static int idxPixel(int image, int y, int x) {
        return (image * 50 + y * 10 + x) & 0xFF;
    }

    /** IDX label of image i: never 0 for i > 0, so a shifted read is visible. */
    static int idxLabel(int image) {
        return (image * 7 + 3) % 10;
    }

    /** A complete IDX image file: header then pixels from {@link #idxPixel}. */
    public static byte[] idxImages(int count, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(16 + count * rows * cols);
        b.putInt(IdxReader.IMAGES_MAGIC).putInt(count).putInt(rows).putInt(cols);
        for (int i = 0; i < count; i++) {
            for (int y = 0; y < rows; y++) {
                for (int x = 0; x < cols; x++) {
                    b.put((byte) idxPixel(i, y, x));
                }
            }
        }
        return b.array();
    }

    /** A complete IDX label file with labels from {@link #idxLabel}. */
    static byte[] idxLabels(int count) {
        ByteBuffer b = ByteBuffer.allocate(8 + count);
        b.putInt(IdxReader.LABELS_MAGIC).putInt(count);
        for (int i = 0; i < count; i++) {
            b.put((byte) idxLabel(i));
        }
        return b.array();
    }

    /** Colour pixel of a CIFAR fixture: record r (global index), channel c, row y, column x. */
    static int cifarPixel(int record, int channel, int y, int x) {
        return (record * 20 + channel * 70 + (y * 32 + x) % 13) & 0xFF;
    }

    /**
     * CIFAR records {@code first .. first+count-1}; {@code labelBytes} per record, label byte b of
     * record r being {@code labels[b].applyAsInt(r)}.
     */
    static byte[] cifarRecords(int first, int count, IntUnaryOperator... labels) {
        int recordBytes = labels.length + 3072;
        ByteBuffer b = ByteBuffer.allocate(count * recordBytes);
        for (int r = first; r < first + count; r++) {
            for (IntUnaryOperator label : labels) {
                b.put((byte) label.applyAsInt(r));
            }
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        b.put((byte) cifarPixel(r, c, y, x));
                    }
                }
            }
        }
        return b.array();
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static Path write(Path file, byte[] data) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A directory in the MNIST layout: {@code trainCount} and {@code testCount} images of
     * rows x cols; train files gzipped under .gz names, test files plain, as the two mixes a
     * user may have.
     */
    public static Path idxDirectory(Path dir, int trainCount, int testCount, int rows, int cols) {
        write(dir.resolve(IdxDataset.TRAIN_IMAGES + ".gz"), gzip(idxImages(trainCount, rows, cols)));
        write(dir.resolve(IdxDataset.TRAIN_LABELS + ".gz"), gzip(idxLabels(trainCount)));
        write(dir.resolve(IdxDataset.TEST_IMAGES), idxImages(testCount, rows, cols));
        write(dir.resolve(IdxDataset.TEST_LABELS), idxLabels(testCount));
        return dir;
    }
}
