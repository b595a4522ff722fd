package org.spidernet.cli;

import org.spidernet.train.TrainDefaults;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The dataset and backend flags of the study commands ({@code correlate}, {@code fade-ranks}), declared once. */
final class StudyDataOptions {
    @Option(names = "--dataset", defaultValue = TrainDefaults.DATASET, description = "fashion-mnist, mnist, cifar10 or cifar100 (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR", description = "Dataset directory (default for fashion-mnist: /usr/share/datasets/fashion-mnist).")
    Path data;

    @Option(names = "--backend", defaultValue = TrainDefaults.BACKEND, description = "auto, cpu, reference, cuda or cuda-emulated (default: ${DEFAULT-VALUE}).")
    String backend;

    /** The dataset directory as the saved settings hold it: absolute, or null for the dataset's default. */
    String dataPath() {
        return data != null ? data.toAbsolutePath().toString() : null;
    }
}
