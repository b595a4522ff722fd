package org.spidernet.data;

import org.spidernet.data.ImageDataset;
import org.spidernet.data.DatasetSplit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10, binary version ({@code cifar-10-batches-bin/}): 50,000 training images in
 * {@code data_batch_1.bin} .. {@code data_batch_5.bin} and 10,000 test images in
 * {@code test_batch.bin}, 32x32 RGB, 10 classes. No package ships it; users bring their own copy,
 * so there is no default directory.
 */
public final class Cifar10 {

    /** Registry name. */
    public static final String NAME = "cifar10";

    public static final String DIR_NAME = "cifar-10-batches-bin";

    public static final List<String> TRAIN_FILES = List.of(
            "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");

    public static final String TEST_FILE = "test_batch.bin";

    /** Label order of batches.meta.txt. */
    public static final List<String> CLASS_NAMES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    static final CifarBinaryFormat FORMAT =
            new CifarBinaryFormat("CIFAR-10", DIR_NAME, List.of("label"), List.of(CLASS_NAMES.size()), 0);

    private Cifar10() {
    }

    /**
     * Loads from {@code cifar-10-batches-bin/} or the directory that contains it.
     *
     * @throws DatasetMissingException listing every missing file and where it was sought
     * @throws DatasetFormatException  if a file is not a whole number of 3,073-byte records or holds a
     *                                 label above 9
     */
    public static DatasetSplit load(Path dirOrParent) throws IOException {
        List<String> all = new ArrayList<>(TRAIN_FILES);
        all.add(TEST_FILE);
        Path dir = FORMAT.locate(dirOrParent, all);
        ImageDataset train = FORMAT.read(TRAIN_FILES.stream().map(dir::resolve).toList());
        ImageDataset test = FORMAT.read(List.of(dir.resolve(TEST_FILE)));
        return new DatasetSplit(train, test);
    }
}
