package org.spidernet.cli;

import org.spidernet.data.DatasetSplit;
import org.spidernet.data.HoldoutSplit;
import org.spidernet.data.ImageDataset;
import org.spidernet.data.TrainingData;
import org.spidernet.graph.InputSpec;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Path;

/** {@link TrainingData} for a command: its refusals of bad sizes are flag errors. */
record RunData(String name, DatasetSplit split, HoldoutSplit hold) {

    static RunData load(CommandLine cl, String dataset, Path dir, Integer limit, int validation, int batch)
            throws IOException {
        try {
            TrainingData d = TrainingData.load(dataset, dir, limit, validation, batch);
            return new RunData(d.name(), d.split(), d.hold());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
    }

    /** What a network for this data takes and predicts (the training split's images and classes). */
    InputSpec input() {
        ImageDataset t = hold.train();
        return new InputSpec(t.channels(), t.height(), t.width(), t.numClasses());
    }
}
