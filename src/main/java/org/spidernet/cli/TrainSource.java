package org.spidernet.cli;

/**
 * What a train run was built from beside its {@link org.spidernet.train.TrainConfig}: the data
 * (dataset, directory as an absolute path or null for the dataset's default, {@code --limit-train}),
 * the backend as resolved (never {@code auto}, which could pick another one on resume), the
 * emulated device size, and the shape of the initial net. Saved in every checkpoint so
 * {@code train --resume} rebuilds the same run; {@code genomeFile} only records where a
 * {@code --genome} came from, as the checkpoint carries the genome itself.
 */
record TrainSource(String dataset, String data, Integer limitTrain, String backend, Long deviceMemoryBytes,
                   int channels, int reductions, String genomeFile) {
}
