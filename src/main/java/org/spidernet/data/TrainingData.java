package org.spidernet.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The data a train or search run uses: the dataset's test set, and its training set (optionally
 * cut to the first {@code limit} images) split into training and the held-out validation tail.
 * Bad sizes are an {@link IllegalArgumentException} naming the setting by its command-line flag;
 * {@code validation} comes from a TrainConfig, which has checked its range.
 *
 * @param name the dataset's canonical name
 */
public record TrainingData(String name, DatasetSplit split, HoldoutSplit hold) {

    /** Loads dataset {@code dataset} from {@code dir} (null: its default directory). */
    public static TrainingData load(String dataset, Path dir, Integer limit, int validation, int batch) throws IOException {
        if (limit != null && limit < 1) {
            throw new IllegalArgumentException("--limit-train must be >= 1, got " + limit);
        }
        String name = DatasetRegistry.canonicalName(dataset);
        DatasetSplit split = DatasetRegistry.load(name, dir);
        ImageDataset full = split.train();
        if (limit != null) {
            full = full.first(Math.min(limit, full.count()));
        }
        if (validation >= full.count()) {
            throw new IllegalArgumentException("--validation " + validation + " leaves no training images out of " + full.count());
        }
        HoldoutSplit hold = HoldoutSplit.lastN(full, validation);
        if (hold.train().count() < batch) {
            throw new IllegalArgumentException("only " + hold.train().count() + " training images, fewer than one batch of " + batch);
        }
        return new TrainingData(name, split, hold);
    }
}
