package org.spidernet.data;

import org.spidernet.data.ImageDataset;
import org.spidernet.data.DatasetSplit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the four IDX files of an MNIST-style dataset live in its directory, and how to load them.
 * Fashion-MNIST and MNIST share the layout and differ only in their classes.
 *
 * <p>Each file is accepted under its plain name or with {@code .gz} appended (plain first, if
 * both exist); the reader decides whether it is compressed from its content.
 *
 * @param title       for messages, e.g. "Fashion-MNIST"
 * @param trainImages base file name, without {@code .gz}
 * @param classNames  one name per label, in label order
 */
public record IdxDataset(String title, String trainImages, String trainLabels, String testImages, String testLabels,
                         List<String> classNames) {

    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    private static final String GZ = ".gz";

    public IdxDataset {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(trainImages, "trainImages");
        Objects.requireNonNull(trainLabels, "trainLabels");
        Objects.requireNonNull(testImages, "testImages");
        Objects.requireNonNull(testLabels, "testLabels");
        classNames = List.copyOf(classNames);
        if (classNames.isEmpty() || classNames.size() > ImageDataset.MAX_CLASSES) {
            throw new IllegalArgumentException("need 1.." + ImageDataset.MAX_CLASSES + " class names, got " + classNames.size());
        }
    }

    /** A dataset with the file names MNIST made standard. */
    public static IdxDataset standard(String title, List<String> classNames) {
        return new IdxDataset(title, TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS, classNames);
    }

    public int numClasses() {
        return classNames.size();
    }

    /** Whether all four files are present in {@code dir} (under either name). */
    public boolean isPresentIn(Path dir) {
        return missingIn(dir).isEmpty();
    }

    /**
     * Loads training and test sets from {@code dir}.
     *
     * @throws DatasetMissingException if the directory or any of the four files is absent; the
     *                                 message lists every missing file, not just the first
     * @throws DatasetFormatException  if a file is malformed (see {@link IdxReader})
     */
    public DatasetSplit load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new DatasetMissingException(dir, title + " directory not found"
                    + (Files.exists(dir) ? " (it is a file, not a directory)" : ""));
        }
        List<String> missing = missingIn(dir);
        if (!missing.isEmpty()) {
            throw new DatasetMissingException(dir, title + " files missing from this directory: "
                    + String.join(", ", missing) + " (each looked for with and without " + GZ + ")");
        }
        ImageDataset train = IdxReader.read(find(dir, trainImages).orElseThrow(), find(dir, trainLabels).orElseThrow(),
                numClasses());
        ImageDataset test = IdxReader.read(find(dir, testImages).orElseThrow(), find(dir, testLabels).orElseThrow(),
                numClasses());
        if (!train.sameShapeAs(test)) {
            throw new DatasetFormatException(dir, title + " training and test images differ in size: "
                    + train.height() + "x" + train.width() + " vs " + test.height() + "x" + test.width());
        }
        return new DatasetSplit(train, test);
    }

    private List<String> missingIn(Path dir) {
        List<String> missing = new ArrayList<>();
        for (String name : List.of(trainImages, trainLabels, testImages, testLabels)) {
            if (find(dir, name).isEmpty()) {
                missing.add(name + "[" + GZ + "]");
            }
        }
        return missing;
    }

    private static Optional<Path> find(Path dir, String baseName) {
        for (String candidate : List.of(baseName, baseName + GZ)) {
            Path file = dir.resolve(candidate);
            if (Files.isRegularFile(file)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }
}
