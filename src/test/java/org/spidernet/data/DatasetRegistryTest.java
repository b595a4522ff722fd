package org.spidernet.data;

import org.spidernet.data.DatasetSplit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spidernet.data.DatasetFixtures.cifarRecords;
import static org.spidernet.data.DatasetFixtures.idxDirectory;
import static org.spidernet.data.DatasetFixtures.write;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetRegistryTest {

    @TempDir
    Path dir;

    @Test
    void unknownNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatasetRegistry.load("imagenet", dir));
        assertTrue(e.getMessage().contains("unknown dataset 'imagenet'"), e.getMessage());
        assertTrue(e.getMessage().contains("fashion-mnist, mnist, cifar10, cifar100"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DatasetRegistry.classNames("svhn"));
    }

    @Test
    void namesAreMatchedLoosely() {
        assertEquals("fashion-mnist", DatasetRegistry.canonicalName("Fashion_MNIST"));
        assertEquals("fashion-mnist", DatasetRegistry.canonicalName("fashionmnist"));
        assertEquals("cifar10", DatasetRegistry.canonicalName("CIFAR-10"));
        assertEquals("cifar100", DatasetRegistry.canonicalName("cifar_100"));
        assertEquals("mnist", DatasetRegistry.canonicalName("MNIST"));
        assertThrows(IllegalArgumentException.class, () -> DatasetRegistry.canonicalName(null));
    }

    @Test
    void datasetsWithoutDefaultAskForData() {
        for (String name : new String[] {"mnist", "cifar10", "cifar100"}) {
            DatasetMissingException e = assertThrows(DatasetMissingException.class, () -> DatasetRegistry.load(name, null));
            assertTrue(e.getMessage().contains("dataset " + name + " has no default location"), e.getMessage());
            assertTrue(e.getMessage().contains("--data"), e.getMessage());
            assertEquals(Optional.empty(), DatasetRegistry.defaultDirectory(name));
        }
    }

    @Test
    void loadsEachKindFromAGivenDirectory() throws Exception {
        idxDirectory(dir.resolve("idx"), 4, 2, 3, 3);
        assertEquals(4, DatasetRegistry.load("mnist", dir.resolve("idx")).train().count());
        assertEquals(2, DatasetRegistry.load("fashion-mnist", dir.resolve("idx")).test().count());

        Path c10 = dir.resolve("c10").resolve(Cifar10.DIR_NAME);
        for (String file : Cifar10.TRAIN_FILES) {
            write(c10.resolve(file), cifarRecords(0, 1, r -> 3));
        }
        write(c10.resolve(Cifar10.TEST_FILE), cifarRecords(0, 1, r -> 4));
        DatasetSplit cifar10 = DatasetRegistry.load("cifar10", dir.resolve("c10"));
        assertEquals(5, cifar10.train().count());
        assertEquals(4, cifar10.test().label(0));

        Path c100 = dir.resolve(Cifar100.DIR_NAME);
        write(c100.resolve(Cifar100.TRAIN_FILE), cifarRecords(0, 2, r -> 7, r -> 77));
        write(c100.resolve(Cifar100.TEST_FILE), cifarRecords(0, 1, r -> 7, r -> 78));
        DatasetSplit cifar100 = DatasetRegistry.load("cifar100", c100);
        assertEquals(77, cifar100.train().label(1));
        assertEquals(100, cifar100.test().numClasses());
    }

    @Test
    void classNamesPerDataset() {
        assertEquals(FashionMnist.CLASS_NAMES, DatasetRegistry.classNames("fashion-mnist"));
        assertEquals(10, DatasetRegistry.classNames("mnist").size());
        assertEquals("truck", DatasetRegistry.classNames("cifar10").get(9));
        assertEquals(100, DatasetRegistry.classNames("cifar100").size());
    }
}
