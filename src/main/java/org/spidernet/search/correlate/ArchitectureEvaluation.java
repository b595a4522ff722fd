package org.spidernet.search.correlate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spidernet.backend.Backend;
import org.spidernet.backend.DeviceOutOfMemoryException;
import org.spidernet.data.ChannelStats;
import org.spidernet.data.ImageDataset;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.InitScheme;
import org.spidernet.exec.Network;
import org.spidernet.graph.Genome;
import org.spidernet.metrics.MetricRegistry;
import org.spidernet.metrics.ScoringContext;
import org.spidernet.search.Seeds;
import org.spidernet.train.TrainConfig;
import org.spidernet.train.Trainer;
import org.spidernet.train.TrainingDivergedException;
import org.spidernet.train.TrainingListener;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scores one sampled architecture with every registered train-free metric on its untrained net,
 * then trains it briefly from scratch and tests it. All randomness derives from the study's seed
 * and the architecture's index, so an architecture gives the same result whenever it is
 * evaluated (first run or {@code --resume}) and whatever was evaluated before it.
 */
public final class ArchitectureEvaluation {
    private static final Logger LOG = LoggerFactory.getLogger(ArchitectureEvaluation.class);
    /** Seed paths under the study's seed: the sample, its scoring, its training. */
    static final int SAMPLE = 1;
    static final int SCORE = 2;
    static final int TRAIN = 3;

    private final Backend backend;
    private final CorrelateSettings settings;
    private final TrainConfig train;
    private final ImageDataset trainImages;
    private final ChannelStats stats;
    private final ImageDataset testImages;

    /**
     * @param train       the training settings; epochs, batch, learning rate from {@code settings}, the
     *                    seed replaced per architecture
     * @param trainImages what trains every architecture, and what the metrics draw their batches from
     * @param stats       {@code trainImages}' normalisation
     */
    public ArchitectureEvaluation(Backend backend, CorrelateSettings settings, TrainConfig train,
                                  ImageDataset trainImages, ChannelStats stats, ImageDataset testImages) {
        this.backend = backend;
        this.settings = settings;
        this.train = train.withEpochs(settings.epochs()).withBatch(settings.batch())
                .withLearningRate(settings.learningRate()).withValidation(0);
        this.trainImages = trainImages;
        this.stats = stats;
        this.testImages = testImages;
    }

    public ArchitectureResult evaluate(int index, Genome genome) {
        long start = System.nanoTime();
        ScoringContext ctx = new ScoringContext(backend, genome, Seeds.derive(settings.seed(), SCORE, index),
                trainImages, stats);
        Map<String, MetricScore> scores = new LinkedHashMap<>();
        for (String name : MetricRegistry.names()) {
            MetricScore s;
            try {
                s = MetricScore.of(settings.metric(name).score(ctx));
            } catch (DeviceOutOfMemoryException | IllegalStateException | IllegalArgumentException
                     | ArithmeticException e) {
                s = MetricScore.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            if (!s.usable()) {
                LOG.warn("architecture {}: {} {}: {}", index, name, s.status(), s.detail());
            }
            scores.put(name, s);
        }
        ExecutionPlan plan = ExecutionPlan.compile(genome, settings.batch(), backend.bytesPerElement());
        long trainSeed = Seeds.derive(settings.seed(), TRAIN, index);
        double accuracy = Double.NaN;
        String status = ArchitectureResult.TRAINED;
        String detail = "";
        try (Network net = Network.bind(plan, backend)) {
            net.initialize(trainSeed, InitScheme.FAN_IN);
            Trainer trainer = new Trainer(net, train.withSeed(trainSeed), trainImages, stats);
            trainer.run(0, null, TrainingListener.NONE);
            accuracy = trainer.evaluate(testImages).accuracy();
        } catch (TrainingDivergedException | DeviceOutOfMemoryException e) {
            status = ArchitectureResult.TRAIN_FAILED;
            detail = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.warn("architecture {}: training failed: {}", index, detail);
        }
        return new ArchitectureResult(index, genome, plan.parameterCount(), scores, accuracy, status, detail,
                (System.nanoTime() - start) / 1e9);
    }
}
