package org.spidernet.data;

import org.spidernet.data.ImageDataset;
import org.spidernet.data.DatasetSplit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * CIFAR-100, binary version ({@code cifar-100-binary/}): {@code train.bin} (50,000 images) and
 * {@code test.bin} (10,000), 32x32 RGB. Each record carries a coarse label (20 superclasses) and a
 * fine label (100 classes); the fine label is the one used, as in the NAS literature.
 */
public final class Cifar100 {

    /** Registry name. */
    public static final String NAME = "cifar100";

    public static final String DIR_NAME = "cifar-100-binary";

    public static final String TRAIN_FILE = "train.bin";

    public static final String TEST_FILE = "test.bin";

    /** Fine label order of fine_label_names.txt (alphabetical). */
    public static final List<String> CLASS_NAMES = List.of(
            "apple", "aquarium_fish", "baby", "bear", "beaver", "bed", "bee", "beetle", "bicycle", "bottle",
            "bowl", "boy", "bridge", "bus", "butterfly", "camel", "can", "castle", "caterpillar", "cattle",
            "chair", "chimpanzee", "clock", "cloud", "cockroach", "couch", "crab", "crocodile", "cup", "dinosaur",
            "dolphin", "elephant", "flatfish", "forest", "fox", "girl", "hamster", "house", "kangaroo", "keyboard",
            "lamp", "lawn_mower", "leopard", "lion", "lizard", "lobster", "man", "maple_tree", "motorcycle", "mountain",
            "mouse", "mushroom", "oak_tree", "orange", "orchid", "otter", "palm_tree", "pear", "pickup_truck", "pine_tree",
            "plain", "plate", "poppy", "porcupine", "possum", "rabbit", "raccoon", "ray", "road", "rocket",
            "rose", "sea", "seal", "shark", "shrew", "skunk", "skyscraper", "snail", "snake", "spider",
            "squirrel", "streetcar", "sunflower", "sweet_pepper", "table", "tank", "telephone", "television", "tiger", "tractor",
            "train", "trout", "tulip", "turtle", "wardrobe", "whale", "willow_tree", "wolf", "woman", "worm");

    /** Number of coarse classes (superclasses); checked on read, not used as the label. */
    public static final int COARSE_CLASSES = 20;

    static final CifarBinaryFormat FORMAT = new CifarBinaryFormat("CIFAR-100", DIR_NAME,
            List.of("coarse label", "fine label"), List.of(COARSE_CLASSES, CLASS_NAMES.size()), 1);

    private Cifar100() {
    }

    /**
     * Loads from {@code cifar-100-binary/} or the directory that contains it.
     *
     * @throws DatasetMissingException listing every missing file and where it was sought
     * @throws DatasetFormatException  if a file is not a whole number of 3,074-byte records or holds a
     *                                 label out of range
     */
    public static DatasetSplit load(Path dirOrParent) throws IOException {
        Path dir = FORMAT.locate(dirOrParent, List.of(TRAIN_FILE, TEST_FILE));
        ImageDataset train = FORMAT.read(List.of(dir.resolve(TRAIN_FILE)));
        ImageDataset test = FORMAT.read(List.of(dir.resolve(TEST_FILE)));
        return new DatasetSplit(train, test);
    }
}
