package org.spidernet.data;

import java.util.Objects;

/**
 * A training set split into the images to train on and a validation set held out from it, so
 * that choices made during search never look at the test set.
 *
 * <p>The holdout is the <em>last</em> {@code n} images, as in SpiderNet's published runs (they
 * held out the last 640): deterministic, no seed to record, and the same images for every
 * candidate. The training files of the datasets supported here are not sorted by class, so the
 * tail holds a mix of classes.
 */
public record HoldoutSplit(ImageDataset train, ImageDataset validation) {

    /** The validation size SpiderNet's authors used. */
    public static final int SPIDERNET_HOLDOUT = 640;

    public HoldoutSplit {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(validation, "validation");
        if (!train.sameShapeAs(validation)) {
            throw new IllegalArgumentException("train and validation sets disagree: " + train + " vs " + validation);
        }
    }

    /**
     * Holds out the last {@code n} images of {@code full}.
     *
     * @throws IllegalArgumentException unless {@code 0 < n < full.count()}: an empty validation set
     *                                  cannot rank anything, and an empty training set cannot train
     */
    public static HoldoutSplit lastN(ImageDataset full, int n) {
        if (n <= 0 || n >= full.count()) {
            throw new IllegalArgumentException("cannot hold out " + n + " of " + full.count()
                    + " training images: need 0 < n < " + full.count());
        }
        int cut = full.count() - n;
        return new HoldoutSplit(full.subset(0, cut), full.subset(cut, full.count()));
    }
}
