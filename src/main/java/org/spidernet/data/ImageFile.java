package org.spidernet.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The images of one file given to {@code spidernet predict}, in the shape the model takes:
 * {@code count} images of {@code channels x height x width} bytes, CHW, image after image. A PNG
 * holds one image, an IDX image file or a CIFAR binary batch many (their labels, if any, are
 * ignored). The format is recognised by content ({@link ImageFileFormat}); every refusal is a
 * {@link DatasetFormatException} naming the file, and for a shape that does not fit, both shapes.
 */
public record ImageFile(Path file, ImageFileFormat format, int count, byte[] pixels) {

    /** Reads {@code file}, whose images must be {@code channels x height x width} (PNG may be converted; see {@link PngImage}). */
    public static ImageFile read(Path file, int channels, int height, int width) throws IOException {
        ImageFileFormat format = ImageFileFormat.detect(file);
        return switch (format) {
            case PNG -> new ImageFile(file, format, 1, PngImage.read(file, channels, height, width));
            case IDX -> readIdx(file, channels, height, width);
            case CIFAR -> readCifar(file, channels, height, width);
        };
    }

    private static ImageFile readIdx(Path file, int channels, int height, int width) throws IOException {
        IdxReader.Images images = IdxReader.readImages(file);
        requireShape(file, ImageFileFormat.IDX, 1, images.rows(), images.cols(), channels, height, width);
        requireSome(file, images.count());
        return new ImageFile(file, ImageFileFormat.IDX, images.count(), images.pixels());
    }

    /**
     * CIFAR-10 records when the length fits them and every label byte is in range, else CIFAR-100
     * records: a length that is a multiple of both (3,073 x 3,074 bytes) is told apart by the labels.
     */
    private static ImageFile readCifar(Path file, int channels, int height, int width) throws IOException {
        requireShape(file, ImageFileFormat.CIFAR, CifarBinaryFormat.CHANNELS, CifarBinaryFormat.SIDE,
                CifarBinaryFormat.SIDE, channels, height, width);
        List<CifarBinaryFormat> fitting = new ArrayList<>();
        long length = Files.size(file);
        for (CifarBinaryFormat f : List.of(Cifar10.FORMAT, Cifar100.FORMAT)) {
            if (length % f.recordBytes() == 0) {
                fitting.add(f);
            }
        }
        DatasetFormatException first = null;
        for (CifarBinaryFormat f : fitting) {
            try {
                ImageDataset d = f.read(List.of(file));
                return new ImageFile(file, ImageFileFormat.CIFAR, d.count(), d.copyPixels());
            } catch (DatasetFormatException e) {
                first = first == null ? e : first;
            }
        }
        if (first == null) { // the length changed since the format was detected
            throw new DatasetFormatException(file, "length " + length + " bytes is no longer a whole number of CIFAR records");
        }
        throw first;
    }

    private static void requireShape(Path file, ImageFileFormat format, int c, int h, int w, int channels, int height,
                                     int width) throws DatasetFormatException {
        if (c != channels || h != height || w != width) {
            throw new DatasetFormatException(file, format.title() + " file holds " + c + "x" + h + "x" + w
                    + " images, the model takes " + channels + "x" + height + "x" + width
                    + " (channels x height x width; images are never resized or recoloured)");
        }
    }

    private static void requireSome(Path file, int count) throws DatasetFormatException {
        if (count == 0) {
            throw new DatasetFormatException(file, "holds no images");
        }
    }
}
