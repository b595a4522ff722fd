package org.spidernet.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kinds of file {@code spidernet predict} reads images from, told apart by their content, not
 * their names (files get renamed, and {@code .bin} or {@code .gz} say little): PNG by its 8-byte
 * signature, IDX by its magic {@code 00 00 08 xx} or the gzip magic {@code 1f 8b} (the MNIST
 * family ships gzipped IDX), and the CIFAR binary batches, which have no magic, by their length
 * being a whole number of records (3,073 bytes for CIFAR-10, 3,074 for CIFAR-100); the reader
 * then checks every record's label bytes, the surest sign that records are in step.
 */
public enum ImageFileFormat {
    PNG("PNG"),
    IDX("IDX images"),
    CIFAR("CIFAR binary");

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private final String title;

    ImageFileFormat(String title) {
        this.title = title;
    }

    /** For messages: "PNG", "IDX images", "CIFAR binary". */
    public String title() {
        return title;
    }

    /**
     * The format of {@code file}'s content.
     *
     * @throws DatasetMissingException if there is no such file
     * @throws DatasetFormatException  if it is not a regular file or in none of the formats
     */
    public static ImageFileFormat detect(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new DatasetMissingException(file, "file not found");
        }
        if (!Files.isRegularFile(file)) {
            throw new DatasetFormatException(file, "not a regular file");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(PNG_SIGNATURE.length);
        }
        if (startsWith(head, PNG_SIGNATURE)) {
            return PNG;
        }
        boolean gzip = head.length >= 2 && (head[0] & 0xFF) == 0x1f && (head[1] & 0xFF) == 0x8b;
        boolean idx = head.length >= 4 && head[0] == 0 && head[1] == 0 && head[2] == 0x08;
        if (gzip || idx) {
            return IDX;
        }
        long length = Files.size(file);
        if (length > 0 && (length % Cifar10.FORMAT.recordBytes() == 0 || length % Cifar100.FORMAT.recordBytes() == 0)) {
            return CIFAR;
        }
        throw new DatasetFormatException(file, "unknown image file format (" + length + " bytes): not PNG (starts 89 50 4E 47), "
                + "IDX images (starts 00 00 08 03, or gzip 1F 8B), or a CIFAR binary batch (a whole number of "
                + Cifar10.FORMAT.recordBytes() + "- or " + Cifar100.FORMAT.recordBytes() + "-byte records)");
    }

    private static boolean startsWith(byte[] head, byte[] prefix) {
        if (head.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (head[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
