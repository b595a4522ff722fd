package org.spidernet.search.fade;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spidernet.backend.Backend;
import org.spidernet.backend.DeviceOutOfMemoryException;
import org.spidernet.data.ChannelStats;
import org.spidernet.data.ImageDataset;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.InitScheme;
import org.spidernet.exec.Network;
import org.spidernet.exec.PlanOptions;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.dag.Dag;
import org.spidernet.graph.dag.DagLibrary;
import org.spidernet.graph.ir.AlphaGroup;
import org.spidernet.search.BilevelSettings;
import org.spidernet.search.Seeds;
import org.spidernet.stats.Bootstrap;
import org.spidernet.stats.Interval;
import org.spidernet.stats.KendallTau;
import org.spidernet.stats.SpearmanRho;
import org.spidernet.train.TrainConfig;
import org.spidernet.train.Trainer;
import org.spidernet.train.TrainingDivergedException;
import org.spidernet.train.TrainingListener;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The check FaDE's paper reports: do a region's ranks order its architectures as training them
 * does? A region is drawn as a search's first generation would draw it (a random library cell per
 * stage as the centre, the other candidates near it), its supernet is trained and ranks its N^S
 * architectures; each of them (or a sample) is then trained alone from scratch and tested, and
 * Kendall's tau-b and Spearman's rho between the region's scores and the test accuracies are
 * reported with percentile bootstrap intervals. Every draw derives from the settings' seed and the
 * architecture's index, so a resumed check gives what an uninterrupted one gives.
 */
public final class RankCheck {
    private static final Logger LOG = LoggerFactory.getLogger(RankCheck.class);
    // seed paths under the check's seed
    private static final int REGION = 1;
    private static final int REGION_WEIGHTS = 2;
    private static final int REGION_ARCH = 3;
    private static final int PICKS = 4;
    private static final int TRAIN = 5;
    private static final int BOOTSTRAP = 6;

    private final RankCheckSettings settings;
    private final Backend backend;
    private final ImageDataset train;
    private final ChannelStats stats;
    private final ImageDataset test;
    private final TrainConfig base;

    /** How well the region's scores rank the architectures trained: over {@code n} of them. */
    public record Correlation(int n, Interval kendall, Interval spearman) {
    }

    /**
     * @param base the machine's training settings; epochs, batch and learning rate come from
     *             {@code settings}, the seed per network
     */
    public RankCheck(RankCheckSettings settings, Backend backend, ImageDataset train, ChannelStats stats, ImageDataset test,
                     TrainConfig base) {
        this.settings = settings;
        this.backend = backend;
        this.train = train;
        this.stats = stats;
        this.test = test;
        this.base = base.withBatch(settings.batch()).withLearningRate(settings.learningRate()).withValidation(0);
    }

    /** The region checked, a pure function of the settings and the input. */
    public FadeRegion region(InputSpec input) {
        DagLibrary library = DagLibrary.fade();
        List<Dag> centre = RegionSampler.randomCentre(settings.stages(), library, new Random(Seeds.derive(settings.seed(), REGION, 0)));
        return RegionSampler.sample(FadeSkeleton.of(input, settings.stages(), settings.channels(), settings.reductions()),
                centre, centre.stream().map(List::of).toList(), settings.cells(), 1, library, AlphaGroup.Mixing.SOFTMAX,
                Seeds.derive(settings.seed(), REGION, 1));
    }

    /** Trains the region's supernet and reads its ranks. */
    public RegionResult rank(FadeRegion region, long budgetBytes) {
        BilevelSettings bilevel = BilevelSettings.softmax(settings.archLr());
        RegionTraining training = new RegionTraining(backend, train, stats, null, base, budgetBytes);
        return training.train(region, bilevel, settings.regionEpochs(), Seeds.derive(settings.seed(), REGION_WEIGHTS, 0),
                Seeds.derive(settings.seed(), REGION_ARCH, 0), n -> TrainingListener.NONE).result();
    }

    /** The architectures trained alone, as picks per stage: all of the region's, or a seeded sample, in a fixed order. */
    public List<int[]> members(FadeRegion region) {
        int stages = region.skeleton().size();
        int width = region.width();
        int total = (int) Math.pow(width, stages);
        List<int[]> all = new ArrayList<>();
        for (int k = 0; k < total; k++) {
            int[] picks = new int[stages];
            int rest = k;
            for (int s = stages - 1; s >= 0; s--) {
                picks[s] = rest % width;
                rest /= width;
            }
            all.add(picks);
        }
        if (settings.sample() == 0) {
            return all;
        }
        Collections.shuffle(all, new Random(Seeds.derive(settings.seed(), PICKS, 0)));
        return all.subList(0, settings.sample());
    }

    /** Trains architecture {@code picks} of the ranked region alone and tests it. */
    public RankCheckMember evaluate(RegionResult ranked, int index, int[] picks) {
        long start = System.nanoTime();
        FadeNetwork network = ranked.region().architecture(picks);
        ExecutionPlan plan = ExecutionPlan.compile(network.lower(), settings.batch(), backend.bytesPerElement(), PlanOptions.TRAINING);
        long seed = Seeds.derive(settings.seed(), TRAIN, index);
        double accuracy = Double.NaN;
        String status = RankCheckMember.TRAINED;
        try (Network net = Network.bind(plan, backend)) {
            net.initialize(seed, InitScheme.FAN_IN);
            Trainer trainer = new Trainer(net, base.withEpochs(settings.epochs()).withSeed(seed), train, stats);
            trainer.run(0, null, TrainingListener.NONE);
            accuracy = trainer.evaluate(test).accuracy();
        } catch (TrainingDivergedException | DeviceOutOfMemoryException e) {
            status = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.warn("architecture {}: training failed: {}", index, status);
        }
        return new RankCheckMember(index, picks, network.cells().stream().map(Dag::code).toList(), ranked.score(picks), accuracy,
                plan.parameterCount(), status, (System.nanoTime() - start) / 1e9);
    }

    /** The rank correlation over the members that trained. */
    public Correlation correlate(List<RankCheckMember> members) {
        List<RankCheckMember> ok = members.stream().filter(RankCheckMember::trained).toList();
        double[] x = ok.stream().mapToDouble(RankCheckMember::regionScore).toArray();
        double[] y = ok.stream().mapToDouble(RankCheckMember::testAccuracy).toArray();
        Bootstrap kb = new Bootstrap(settings.resamples(), Bootstrap.LEVEL, Seeds.derive(settings.seed(), BOOTSTRAP, 0));
        Bootstrap sb = new Bootstrap(settings.resamples(), Bootstrap.LEVEL, Seeds.derive(settings.seed(), BOOTSTRAP, 1));
        return new Correlation(ok.size(), kb.interval(x, y, KendallTau::of), sb.interval(x, y, SpearmanRho::of));
    }
}
