package org.spidernet.data;

import org.spidernet.data.DatasetSplit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Fashion-MNIST: 70,000 grey 28x28 images of clothing in 10 classes (60,000 training, 10,000
 * test), in the MNIST file layout. SpiderNet's default real dataset, because a Debian package
 * ({@code dataset-fashion-mnist}) ships it, so nothing is downloaded at run time.
 */
public final class FashionMnist {

    /** Registry name. */
    public static final String NAME = "fashion-mnist";

    /** Where {@code apt-get install dataset-fashion-mnist} puts the files. */
    public static final Path SYSTEM_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    /** Label order of the official release. */
    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    public static final IdxDataset LAYOUT = IdxDataset.standard("Fashion-MNIST", CLASS_NAMES);

    private FashionMnist() {
    }

    /** Loads from a directory holding the four IDX files (gzipped or not). */
    public static DatasetSplit load(Path dir) throws IOException {
        return LAYOUT.load(dir);
    }

    /**
     * Where to look when no directory is given: the system package's directory, then the one
     * {@code scripts/install-fashion-mnist} unpacks into for a user without root
     * ({@code $SPIDERNET_DATA}, default {@code ~/.cache/spidernet}, plus the package's path).
     */
    public static List<Path> defaultDirectories() {
        List<Path> dirs = new ArrayList<>();
        dirs.add(SYSTEM_DIR);
        String dataRoot = System.getenv("SPIDERNET_DATA");
        Path root = dataRoot != null && !dataRoot.isEmpty()
                ? Path.of(dataRoot)
                : Path.of(System.getProperty("user.home"), ".cache", "spidernet");
        // dpkg-deb -x keeps the package's absolute paths below the target directory.
        dirs.add(root.resolve(SYSTEM_DIR.toString().substring(1)));
        return List.copyOf(dirs);
    }

    /** The first default directory that holds all four files, if any. */
    public static Optional<Path> findInstalled() {
        return defaultDirectories().stream().filter(LAYOUT::isPresentIn).findFirst();
    }

    /**
     * Loads from the first default directory that holds the files.
     *
     * @throws DatasetMissingException naming every place looked and how to install the data
     */
    public static DatasetSplit loadDefault() throws IOException {
        Optional<Path> dir = findInstalled();
        if (dir.isEmpty()) {
            String looked = defaultDirectories().stream().map(Path::toString).collect(Collectors.joining(", "));
            throw new DatasetMissingException("Fashion-MNIST not found (looked in " + looked + "). Install it with "
                    + "scripts/install-fashion-mnist (Debian package dataset-fashion-mnist), or pass --data DIR "
                    + "naming a directory with the four IDX files");
        }
        return load(dir.get());
    }
}
