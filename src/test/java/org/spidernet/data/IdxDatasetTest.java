package org.spidernet.data;

import org.spidernet.data.DatasetSplit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spidernet.data.DatasetFixtures.idxDirectory;
import static org.spidernet.data.DatasetFixtures.idxImages;
import static org.spidernet.data.DatasetFixtures.idxLabel;
import static org.spidernet.data.DatasetFixtures.idxLabels;
import static org.spidernet.data.DatasetFixtures.idxPixel;
import static org.spidernet.data.DatasetFixtures.write;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fashion-MNIST and MNIST loading from a directory in the standard layout (fixtures). */
class IdxDatasetTest {

    @TempDir
    Path dir;

    @Test
    void loadsStandardLayoutWithMixedGzipAndPlainFiles() throws Exception {
        idxDirectory(dir, 5, 3, 4, 6);

        DatasetSplit split = FashionMnist.load(dir);

        assertEquals(5, split.train().count());
        assertEquals(3, split.test().count());
        assertEquals(4, split.test().height());
        assertEquals(6, split.test().width());
        assertEquals(10, split.train().numClasses());
        // Test images are image 0..2 of their own file, not a continuation of the training set.
        assertEquals(idxPixel(2, 3, 5), split.test().pixel(2, 0, 3, 5));
        assertEquals(idxPixel(4, 1, 2), split.train().pixel(4, 0, 1, 2));
        assertEquals(idxLabel(4), split.train().label(4));
        assertEquals(idxLabel(1), split.test().label(1));
    }

    @Test
    void plainNameIsPreferredWhenBothExist() throws Exception {
        idxDirectory(dir, 5, 3, 4, 6);
        // A plain train-images file next to the .gz one, with a different count: it must win.
        write(dir.resolve(IdxDataset.TRAIN_IMAGES), idxImages(2, 4, 6));
        write(dir.resolve(IdxDataset.TRAIN_LABELS), idxLabels(2));

        assertEquals(2, Mnist.load(dir).train().count());
    }

    @Test
    void missingFilesAreAllListedWithTheDirectory() throws Exception {
        idxDirectory(dir, 5, 3, 4, 6);
        Files.delete(dir.resolve(IdxDataset.TRAIN_LABELS + ".gz"));
        Files.delete(dir.resolve(IdxDataset.TEST_IMAGES));

        DatasetMissingException e = assertThrows(DatasetMissingException.class, () -> FashionMnist.load(dir));

        assertEquals(dir, e.file());
        String m = e.getMessage();
        assertTrue(m.contains(dir.toString()), m);
        assertTrue(m.contains("Fashion-MNIST files missing"), m);
        assertTrue(m.contains("train-labels-idx1-ubyte[.gz]"), m);
        assertTrue(m.contains("t10k-images-idx3-ubyte[.gz]"), m);
        assertFalse(m.contains("train-images"), m);
        assertFalse(FashionMnist.LAYOUT.isPresentIn(dir));
    }

    @Test
    void missingDirectoryIsReported() {
        Path absent = dir.resolve("no-such-dir");

        DatasetMissingException e = assertThrows(DatasetMissingException.class, () -> Mnist.load(absent));

        assertTrue(e.getMessage().contains(absent.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("MNIST directory not found"), e.getMessage());
    }

    @Test
    void trainAndTestOfDifferentImageSizesAreRejected() throws Exception {
        idxDirectory(dir, 5, 3, 4, 6);
        write(dir.resolve(IdxDataset.TEST_IMAGES), idxImages(3, 6, 4));

        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> FashionMnist.load(dir));

        assertTrue(e.getMessage().contains("4x6 vs 6x4"), e.getMessage());
    }

    @Test
    void malformedFileInsideDirectoryIsNamed() throws Exception {
        idxDirectory(dir, 5, 3, 4, 6);
        Path labels = dir.resolve(IdxDataset.TEST_LABELS);
        byte[] bytes = idxLabels(3);
        bytes[9] = 11;
        write(labels, bytes);

        IdxReaderTest.assertFault(labels, () -> FashionMnist.load(dir), "label 11 at index 1", "out of range 0..9");
    }

    @Test
    void classNames() {
        assertEquals(10, FashionMnist.CLASS_NAMES.size());
        assertEquals("T-shirt/top", FashionMnist.CLASS_NAMES.get(0));
        assertEquals("Ankle boot", FashionMnist.CLASS_NAMES.get(9));
        assertEquals(10, Mnist.LAYOUT.numClasses());
    }

    @Test
    void defaultDirectoriesIncludeTheSystemPackageFirst() {
        assertEquals(FashionMnist.SYSTEM_DIR, FashionMnist.defaultDirectories().get(0));
        assertTrue(FashionMnist.defaultDirectories().get(1).endsWith("usr/share/datasets/fashion-mnist"));
    }
}
