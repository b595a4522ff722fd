package org.spidernet.data;

import org.spidernet.data.ImageDataset;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The record layout shared by the CIFAR-10 and CIFAR-100 "binary version" files: one or more
 * label bytes, then a 32x32 colour image as three planes of 1024 bytes (all red, then all green,
 * then all blue; each plane row-major). That is already CHW, so the pixels are copied as they are.
 *
 * @param title      for messages, e.g. "CIFAR-10"
 * @param dirName    the directory the official archive unpacks to
 * @param labelNames what each label byte is, in record order (for messages)
 * @param labelLimits number of classes of each label byte; every byte is checked, since a value out
 *                   of range is the surest sign of records out of step
 * @param usedLabel  which label byte becomes the dataset's label
 */
record CifarBinaryFormat(String title, String dirName, List<String> labelNames, List<Integer> labelLimits,
                         int usedLabel) {

    static final int CHANNELS = 3;
    static final int SIDE = 32;
    static final int IMAGE_BYTES = CHANNELS * SIDE * SIDE;

    CifarBinaryFormat {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(dirName, "dirName");
        labelNames = List.copyOf(labelNames);
        labelLimits = List.copyOf(labelLimits);
        if (labelNames.isEmpty() || labelNames.size() != labelLimits.size()) {
            throw new IllegalArgumentException("one name and one limit per label byte");
        }
        Objects.checkIndex(usedLabel, labelNames.size());
    }

    int labelBytes() {
        return labelNames.size();
    }

    int recordBytes() {
        return labelBytes() + IMAGE_BYTES;
    }

    int numClasses() {
        return labelLimits.get(usedLabel);
    }

    /**
     * The data directory, given either itself or its parent (the directory the archive was
     * unpacked in): users are told to "point at the CIFAR-10 data" and do both.
     *
     * @throws DatasetMissingException if the directory is absent or lacks any of {@code files};
     *                                 the message lists all missing files and where they were sought
     */
    Path locate(Path given, List<String> files) throws DatasetMissingException {
        if (!Files.isDirectory(given)) {
            throw new DatasetMissingException(given, title + " directory not found"
                    + (Files.exists(given) ? " (it is a file, not a directory)" : ""));
        }
        Path nested = given.resolve(dirName);
        Path dir = Files.isDirectory(nested) ? nested : given;
        List<String> missing = new ArrayList<>();
        for (String name : files) {
            if (!Files.isRegularFile(dir.resolve(name))) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            String where = dir.equals(nested)
                    ? "looked in " + dir
                    : "looked in " + dir + " and found no " + dirName + "/ below it";
            throw new DatasetMissingException(dir, title + " files missing: " + String.join(", ", missing) + " ("
                    + where + "; pass the " + dirName + " directory of the binary version, or its parent)");
        }
        return dir;
    }

    /** Reads and concatenates the records of {@code files}, in order. */
    ImageDataset read(List<Path> files) throws IOException {
        int recordBytes = recordBytes();
        long total = 0;
        long[] records = new long[files.size()];
        // Every file's length is checked before anything is read, so a truncated last batch is
        // reported in a second, not after reading the other four.
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            long length = Files.size(file);
            if (length == 0 || length % recordBytes != 0) {
                throw new DatasetFormatException(file, "length " + length + " bytes is not a whole number of "
                        + title + " records of " + recordBytes + " bytes (" + describeRecord() + "): "
                        + (length == 0 ? "the file is empty" : length / recordBytes + " records and " + length % recordBytes
                        + " bytes left over; truncated, or not a " + title + " binary file"));
            }
            records[f] = length / recordBytes;
            total += records[f];
        }
        if (total * IMAGE_BYTES > Integer.MAX_VALUE - 16) {
            throw new DatasetFormatException(files.get(0), title + ": " + total + " images are more than one array can hold");
        }
        int count = (int) total;
        byte[] pixels = new byte[count * IMAGE_BYTES];
        byte[] labels = new byte[count];
        byte[] record = new byte[recordBytes];
        int image = 0;
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
                 DataInputStream in = new DataInputStream(raw)) {
                for (long r = 0; r < records[f]; r++, image++) {
                    try {
                        in.readFully(record);
                    } catch (EOFException e) {
                        throw new DatasetFormatException(file, "truncated while reading record " + r
                                + " (the file shrank while being read)", e);
                    }
                    for (int b = 0; b < labelBytes(); b++) {
                        int value = record[b] & 0xFF;
                        if (value >= labelLimits.get(b)) {
                            throw new DatasetFormatException(file, labelNames.get(b) + " " + value + " of record " + r
                                    + " (byte offset " + (r * recordBytes + b) + ") is out of range 0.."
                                    + (labelLimits.get(b) - 1) + "; records out of step, or not a " + title + " file");
                        }
                    }
                    labels[image] = record[usedLabel];
                    System.arraycopy(record, labelBytes(), pixels, image * IMAGE_BYTES, IMAGE_BYTES);
                }
            }
        }
        return ImageDataset.wrapChecked(count, CHANNELS, SIDE, SIDE, numClasses(), pixels, labels);
    }

    private String describeRecord() {
        return String.join(" + ", labelNames.stream().map(n -> "1 " + n + " byte").toList())
                + " + " + IMAGE_BYTES + " pixel bytes";
    }
}
