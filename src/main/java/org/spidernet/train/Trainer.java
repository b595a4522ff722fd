package org.spidernet.train;

import org.spidernet.backend.AugmentPlan;
import org.spidernet.data.ChannelStats;
import org.spidernet.data.ImageDataset;
import org.spidernet.exec.GateSpec;
import org.spidernet.exec.Network;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Trains a bound {@link Network}: SGD with momentum and weight decay over every parameter and
 * gate, cosine learning rate stepped per epoch, auxiliary heads, drop-path, augmentation, gate
 * clamping, open-rate tracking and the deletion rule. Everything random comes from the config's
 * seed, so the same seed on the same backend gives the same numbers.
 *
 * <p>Only full batches are trained on (the remainder of a shuffled epoch is dropped, as BatchNorm
 * needs a fixed batch); evaluation pads the last batch and ignores the padding.
 *
 * <p>A step's host work is: draw the batch, its augmentation and drop-path masks, upload them with
 * the labels and the learning rate, run the step, then read the loss, the logits and the gate
 * gradients and update the gates on the host. The step itself (forward, loss, backward, SGD update
 * of every parameter) is {@link CapturedTrainingStep captured} once per key and replayed, a CUDA
 * graph on the cuda backend; {@value #CAPTURE_PROPERTY}{@code =false} turns that off (the same
 * numbers either way). The learning rate is step data in the network's {@code sgd.rate} tensor,
 * not part of the key, so per-step decay replays the same captured step with a new rate.
 */
public final class Trainer {
    /** System property that turns step capture off ({@code -Dspidernet.capture=false}); on by default. */
    public static final String CAPTURE_PROPERTY = "spidernet.capture";

    private final Network net;
    private final TrainConfig cfg;
    private final ImageDataset train;
    private final ChannelStats stats;
    private final GateOpenTracker tracker;
    private final double[] gateVelocity;
    private final List<EpochMetrics> history = new ArrayList<>();
    private int prunedCount;
    private boolean capture = !"false".equalsIgnoreCase(System.getProperty(CAPTURE_PROPERTY, "true"));
    private int stepCaptures;
    private ArchitectureStep architectureStep = ArchitectureStep.NONE;

    public Trainer(Network net, TrainConfig cfg, ImageDataset train, ChannelStats stats) {
        if (train.count() < net.plan().batchSize()) {
            throw new IllegalArgumentException("training set has " + train.count() + " images, fewer than one batch of "
                    + net.plan().batchSize());
        }
        this.net = net;
        this.cfg = cfg;
        this.train = train;
        this.stats = stats;
        int gates = net.plan().gates().size();
        this.tracker = new GateOpenTracker(gates, cfg.pruneWindow(), cfg.pruneThreshold());
        this.gateVelocity = new double[gates];
    }

    public List<EpochMetrics> history() {
        return List.copyOf(history);
    }

    /**
     * Whether training steps are captured and replayed ({@link org.spidernet.backend.Backend#capture});
     * the default comes from {@value #CAPTURE_PROPERTY}. Returns this trainer.
     */
    public Trainer withStepCapture(boolean on) {
        this.capture = on;
        return this;
    }

    /**
     * Runs {@code step} before every weight step (a bilevel search's architecture update); the
     * default runs nothing. Returns this trainer.
     */
    public Trainer withArchitectureStep(ArchitectureStep step) {
        this.architectureStep = step;
        return this;
    }

    /** Training steps captured so far (one per new key: gates, drop-path scales, mode). */
    int stepCaptures() {
        return stepCaptures;
    }

    /** Number of ops deleted by the deletion rule so far. */
    public int prunedCount() {
        return prunedCount;
    }

    /** The state to checkpoint between epochs (with the network's weights and momentum). */
    public TrainerState state() {
        boolean[] pruned = new boolean[gateVelocity.length];
        for (int g = 0; g < pruned.length; g++) {
            pruned[g] = net.isPruned(g);
        }
        return new TrainerState(history.size(), gateVelocity.clone(), tracker.windowCounts(), tracker.windowBatches(),
                pruned, List.copyOf(history));
    }

    /** Restores {@link #state()} into a trainer over the same network (whose tensors were restored too). */
    public void restore(TrainerState s) {
        if (s.gateVelocity().length != gateVelocity.length || s.pruned().length != gateVelocity.length) {
            throw new IllegalArgumentException("trainer state is for " + s.gateVelocity().length + " gates, network has "
                    + gateVelocity.length);
        }
        System.arraycopy(s.gateVelocity(), 0, gateVelocity, 0, gateVelocity.length);
        tracker.restore(s.windowCounts(), s.windowBatches());
        prunedCount = 0;
        for (int g = 0; g < s.pruned().length; g++) {
            if (s.pruned()[g]) {
                net.prune(g);
                prunedCount++;
            }
        }
        history.clear();
        history.addAll(s.history());
    }

    /** Trains epochs {@code first .. cfg.epochs()-1}, evaluating on {@code validation} (may be null) after each. */
    public List<EpochMetrics> run(int first, ImageDataset validation, TrainingListener listener) {
        return runEpochs(first, cfg.epochs(), validation, listener);
    }

    /**
     * Trains epochs {@code first .. end-1} of the {@code cfg.epochs()}-epoch schedule (the learning
     * rate follows the whole schedule), so a run can stop between epochs and resume.
     */
    public List<EpochMetrics> runEpochs(int first, int end, ImageDataset validation, TrainingListener listener) {
        if (first < 0 || end > cfg.epochs() || first > end) {
            throw new IllegalArgumentException("epochs " + first + ".." + end + " outside the " + cfg.epochs() + "-epoch schedule");
        }
        CosineSchedule lr = new CosineSchedule(cfg.learningRate(), cfg.epochs());
        ParameterTensors params = ParameterTensors.of(net);
        try (CapturedTrainingStep captured = new CapturedTrainingStep(net.backend(), capture)) {
            for (int e = first; e < end; e++) {
                EpochMetrics m = epoch(e, lr, params, captured, validation, listener);
                history.add(m);
                listener.epochFinished(m);
            }
            stepCaptures += captured.captures();
        }
        return history();
    }

    private EpochMetrics epoch(int epoch, CosineSchedule lr, ParameterTensors params, CapturedTrainingStep captured,
                               ImageDataset validation, TrainingListener listener) {
        double rate = lr.rate(epoch);
        long t0 = System.nanoTime();
        int batch = net.plan().batchSize();
        int classes = net.plan().classes();
        // one independent stream per epoch, so a resumed run draws what an uninterrupted one would
        SplittableRandom epochRoot = new SplittableRandom(cfg.seed() ^ (0x9E3779B97F4A7C15L * (epoch + 1)));
        Random shuffleRng = new Random(epochRoot.nextLong());
        Random augRng = new Random(epochRoot.nextLong());
        Random dropRng = new Random(epochRoot.nextLong());
        int[] order = permutation(train.count(), shuffleRng);
        int steps = train.count() / batch;
        Augmentation aug = new Augmentation(train, stats, cfg.cropPadding(), cfg.flip(), cfg.cutout(), cfg.cutoutProb());
        byte[] raw = new byte[batch * train.imageSize()];
        int[] idx = new int[batch];
        int[] labels = new int[batch];
        List<GateSpec> gates = net.plan().gates();
        boolean[] open = new boolean[gates.size()];
        double lossSum = 0;
        long correct = 0;
        listener.epochStarted(epoch, steps);
        for (int s = 0; s < steps; s++) {
            double stepRate = cfg.perStepDecay() ? lr.rate(epoch + s / (double) steps) : rate;
            architectureStep.before(epoch, s, stepRate);
            System.arraycopy(order, s * batch, idx, 0, batch);
            for (int i = 0; i < batch; i++) {
                labels[i] = train.label(idx[i]);
            }
            // the host draws, the backend crops, flips, normalises and cuts out into the network's input
            AugmentPlan plan = aug.draw(idx, augRng, raw);
            net.backend().augment(raw, net.input(), plan);
            for (int g = 0; g < open.length; g++) {
                open[g] = net.gateOpen(g);
            }
            tracker.record(open);
            // host work before the step: gate state, drop-path masks, labels and rate into the plan's tensors
            net.beginStep(true, cfg.dropPath(), dropRng, labels);
            net.setLearningRate(stepRate);
            captured.run(net.stepKey(), () -> {
                net.runStep();
                params.step(net.backend(), cfg.momentum(), cfg.weightDecay());
            });
            // and after it: one read each of the loss, the logits and the gate gradients
            double loss = net.lossOfLastStep();
            if (!Double.isFinite(loss)) {
                throw new TrainingDivergedException("loss became " + loss + " at epoch " + epoch + ", step " + s);
            }
            lossSum += loss;
            correct += Logits.countCorrect(net.classifierLogits(), labels, batch, classes);
            gateStep(stepRate);
            listener.stepFinished(epoch, s, loss);
        }
        if (cfg.pruning()) {
            List<String> deleted = new ArrayList<>();
            for (int g : tracker.endEpoch()) {
                if (!net.isPruned(g)) {
                    net.prune(g);
                    prunedCount++;
                    deleted.add(gates.get(g).label());
                }
            }
            if (!deleted.isEmpty()) {
                listener.opsDeleted(epoch, deleted);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Evaluation val = validation == null || validation.count() == 0 ? null : evaluate(validation);
        int openNow = 0;
        for (int g = 0; g < gates.size(); g++) {
            if (net.gateOpen(g)) {
                openNow++;
            }
        }
        return new EpochMetrics(epoch, rate, lossSum / steps, correct / (double) (steps * batch),
                val == null ? Double.NaN : val.loss(), val == null ? Double.NaN : val.accuracy(), openNow, prunedCount,
                seconds, steps * batch / seconds);
    }

    /** The SGD step of every gate, on the host, after the step's SGD update of the parameters. */
    private void gateStep(double rate) {
        double[] w = net.gateWeights();
        double[] grad = net.gateGradients();
        double clamp = cfg.gateClamp();
        for (int g = 0; g < w.length; g++) {
            if (net.isPruned(g)) {
                continue;
            }
            w[g] = Math.max(-clamp, Math.min(clamp, w[g])); // clamped after backward, before the step
            double d = grad[g] + cfg.weightDecay() * w[g];
            gateVelocity[g] = cfg.momentum() * gateVelocity[g] + d;
            w[g] -= rate * gateVelocity[g];
        }
    }

    /** Loss and accuracy of the classifier head in evaluation mode (running BN statistics, no drop-path). */
    public Evaluation evaluate(ImageDataset data) {
        return evaluate(net, data, stats);
    }

    public static Evaluation evaluate(Network net, ImageDataset data, ChannelStats stats) {
        Evaluation.Tally tally = new Evaluation.Tally(net.plan().classes());
        EvaluationPass.run(net, data, stats, (first, n, logits) -> {
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = data.label(first + i);
            }
            tally.add(logits, labels, n);
        });
        return tally.result();
    }

    static int[] permutation(int n, Random rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
