package org.spidernet.metrics;

import org.spidernet.backend.Backend;
import org.spidernet.data.ChannelStats;
import org.spidernet.data.ImageDataset;
import org.spidernet.graph.Genome;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Everything a metric scores from: the backend that runs the networks, the genome, one explicit
 * seed (there is no global random generator) and the training images with their normalisation.
 *
 * <p>The seed is split into two independent streams, so that a child and its parent scored with
 * one context get identical weights ({@link #initSeed()}) and identical data
 * ({@link #dataRandom()}); SpiderNet's "3 random inits" are three contexts with three seeds.
 *
 * @param backend runs every network a metric builds (the context does not own it)
 * @param genome  the network to score; when scoring a split, the child
 * @param seed    the only source of randomness
 * @param images  training images (selection never looks at the test set)
 * @param stats   the per-channel normalisation of {@code images}, computed from the training set
 */
public record ScoringContext(Backend backend, Genome genome, long seed, ImageDataset images, ChannelStats stats) {

    public ScoringContext {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(genome, "genome");
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(stats, "stats");
        var in = genome.input();
        if (images.channels() != in.channels() || images.height() != in.height() || images.width() != in.width()) {
            throw new IllegalArgumentException("images are " + images.channels() + "x" + images.height() + "x"
                    + images.width() + ", the genome expects " + in.channels() + "x" + in.height() + "x" + in.width());
        }
        if (images.numClasses() > in.classes()) {
            throw new IllegalArgumentException("images have " + images.numClasses() + " classes, the genome predicts "
                    + in.classes());
        }
        if (images.count() == 0) {
            throw new IllegalArgumentException("no images to score with");
        }
        if (stats.channels() != images.channels()) {
            throw new IllegalArgumentException("stats have " + stats.channels() + " channels, images have "
                    + images.channels());
        }
    }

    /** A context whose normalisation is computed from {@code images} (a full pass over them: do it once). */
    public static ScoringContext of(Backend backend, Genome genome, long seed, ImageDataset images) {
        return new ScoringContext(backend, genome, seed, images, images.channelStats());
    }

    public ScoringContext withGenome(Genome g) {
        return new ScoringContext(backend, g, seed, images, stats);
    }

    public ScoringContext withSeed(long s) {
        return new ScoringContext(backend, genome, s, images, stats);
    }

    /** Seed of every weight initialisation under this context. */
    public long initSeed() {
        return new SplittableRandom(seed).nextLong();
    }

    /** A fresh generator for data draws; every call starts the same sequence. */
    public SplittableRandom dataRandom() {
        SplittableRandom root = new SplittableRandom(seed);
        root.nextLong(); // the init seed
        return new SplittableRandom(root.nextLong());
    }
}
