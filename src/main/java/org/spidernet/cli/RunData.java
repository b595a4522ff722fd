package org.spidernet.cli;

import org.spidernet.data.DatasetSplit;
import org.spidernet.data.HoldoutSplit;
import org.spidernet.data.ImageDataset;
import org.spidernet.data.DatasetRegistry;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The data a train or search run uses: the dataset's test set, and its training set (optionally
 * cut to the first {@code limit} images) split into training and the held-out validation tail.
 * Bad sizes are flag errors naming the flag; {@code validation} comes from a TrainConfig, which
 * has checked its range.
 */
record RunData(String name, DatasetSplit split, HoldoutSplit hold) {

    static RunData load(CommandLine cl, String dataset, Path dir, Integer limit, int validation, int batch)
            throws IOException {
        if (limit != null && limit < 1) {
            throw new CommandLine.ParameterException(cl, "--limit-train must be >= 1, got " + limit);
        }
        String name = DatasetRegistry.canonicalName(dataset);
        DatasetSplit split = DatasetRegistry.load(name, dir);
        ImageDataset full = split.train();
        if (limit != null) {
            full = full.first(Math.min(limit, full.count()));
        }
        if (validation >= full.count()) {
            throw new CommandLine.ParameterException(cl,
                    "--validation " + validation + " leaves no training images out of " + full.count());
        }
        HoldoutSplit hold = HoldoutSplit.lastN(full, validation);
        if (hold.train().count() < batch) {
            throw new CommandLine.ParameterException(cl,
                    "only " + hold.train().count() + " training images, fewer than one batch of " + batch);
        }
        return new RunData(name, split, hold);
    }
}
