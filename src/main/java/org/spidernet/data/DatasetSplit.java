package org.spidernet.data;

import java.util.Objects;

/**
 * A dataset's official training and test sets, as the files ship them.
 *
 * <p>The test set is for reporting only; selection decisions use a {@link HoldoutSplit} carved
 * from {@code train}.
 */
public record DatasetSplit(ImageDataset train, ImageDataset test) {

    public DatasetSplit {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        // A test set of another image size or class count means files from two different
        // datasets were mixed; a network built for one would fail on the other much later.
        if (!train.sameShapeAs(test)) {
            throw new IllegalArgumentException("train and test sets disagree: " + train + " vs " + test);
        }
    }

    /**
     * The first {@code trainImages} training images (there must be that many) and the first
     * {@code testImages} test images, or all of them where there are fewer: what a study trains
     * and tests on.
     */
    public DatasetSplit first(int trainImages, int testImages) {
        return new DatasetSplit(train.first(trainImages), test.first(Math.min(testImages, test.count())));
    }
}
