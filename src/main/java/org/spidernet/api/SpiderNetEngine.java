package org.spidernet.api;

import org.spidernet.backend.Backend;
import org.spidernet.backend.BackendProvider;
import org.spidernet.backend.Backends;
import org.spidernet.data.ChannelStats;
import org.spidernet.data.ImageDataset;
import org.spidernet.data.TrainingData;
import org.spidernet.deploy.ClassScore;
import org.spidernet.deploy.EvaluationReport;
import org.spidernet.deploy.ModelManifest;
import org.spidernet.deploy.Predictor;
import org.spidernet.deploy.onnx.OnnxExport;
import org.spidernet.deploy.SavedModel;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.InitScheme;
import org.spidernet.exec.Network;
import org.spidernet.exec.PlanOptions;
import org.spidernet.search.ArchitectureSpace;
import org.spidernet.search.ArchitectureSpaces;
import org.spidernet.search.MetricCandidateScorer;
import org.spidernet.search.SearchConfig;
import org.spidernet.search.SearchRun;
import org.spidernet.search.SearchStrategies;
import org.spidernet.search.SpaceNetwork;
import org.spidernet.train.EpochMetrics;
import org.spidernet.train.Evaluation;
import org.spidernet.train.TrainConfig;
import org.spidernet.train.Trainer;
import org.spidernet.train.TrainingListener;

import java.io.IOException;
import java.util.List;

/**
 * The engine as a library: one backend, opened once, on which a program searches, trains,
 * evaluates, predicts with and exports networks. A sketch:
 *
 * <pre>{@code
 * try (SpiderNetEngine engine = SpiderNetEngine.open("cpu")) {
 *     SearchOutcome found = engine.search(new SearchSettings().strategy("random").iterations(2),
 *             new SearchRun.Observer() {
 *                 public void iterationFinished(IterationRecord r) { System.out.println(r); }
 *             });
 *     found.save(Path.of("my-run"));                     // model.json, weights, architecture
 *     SavedModel model = SavedModel.load(Path.of("my-run"));
 *     EvaluationReport test = engine.evaluate(model, someImages);   // accuracy, confusion matrix
 *     List<List<ClassScore>> top3 = engine.predict(model, newImages, 3);
 *     SpiderNetEngine.exportOnnx(model, Path.of("net.onnx"));        // pixels / 255 in, logits out
 *
 *     // a network of a space by hand (spaces(): the registered ones), trained from scratch
 *     SpaceNetwork net = SpaceNetwork.of(Genome.initial(InputSpec.FASHION_MNIST, 8, 2));
 *     TrainOutcome trained = engine.train(net, TrainConfig.spiderNetDefaults(1).withEpochs(2),
 *             TrainingData.load("fashion-mnist", null, 12000, 1000, 64), TrainingListener.NONE);
 * }
 * }</pre>
 *
 * <p>The {@code cpu} backend uses the JDK's incubating Vector API: a program using it must run
 * with {@code --add-modules jdk.incubator.vector} (as {@code scripts/spidernet} and the tests do);
 * without it, {@link #open} of {@code cpu} fails saying so, and {@code reference} (plain Java,
 * float64, slower) needs no flag. Logging goes through SLF4J; bring your own binding.
 *
 * <p>Runs written by the command line ({@code spidernet search}/{@code train}) hold the same
 * model files, so {@link SavedModel#load} reads those too; checkpoints and resuming are the
 * command line's.
 */
public final class SpiderNetEngine implements AutoCloseable {
    private final BackendProvider provider;
    private final Backend backend;

    private SpiderNetEngine(BackendProvider provider, Backend backend) {
        this.provider = provider;
        this.backend = backend;
    }

    /** Opens backend {@code name}: auto, cpu, reference, cuda or cuda-emulated. */
    public static SpiderNetEngine open(String name) {
        BackendProvider p = Backends.resolve(name);
        return new SpiderNetEngine(p, p.open());
    }

    /** The search strategies on the class path (plug-ins included). */
    public static List<String> strategies() {
        return SearchStrategies.names();
    }

    /** The architecture spaces on the class path (plug-ins included). */
    public static List<String> spaces() {
        return ArchitectureSpaces.all().stream().map(ArchitectureSpace::name).toList();
    }

    public Backend backend() {
        return backend;
    }

    /** Machine-dependent defaults ({@link SearchSettings#resolve}) follow this backend. */
    public BackendProvider.Capabilities capabilities() {
        return provider.capabilities();
    }

    /**
     * Runs the search {@code settings} describe on this engine's backend (the settings' backend
     * name is not used), reporting to {@code observer}, and trains and tests the found network.
     */
    public SearchOutcome search(SearchSettings settings, SearchRun.Observer observer) throws IOException {
        SearchConfig cfg = settings.resolve(capabilities());
        SearchConfig.Source source = cfg.source();
        TrainingData data = TrainingData.load(source.dataset(), source.data() == null ? null : java.nio.file.Path.of(source.data()),
                source.limitTrain(), cfg.train().validation(), cfg.train().batch());
        ImageDataset train = data.hold().train();
        SearchRun run = new SearchRun(cfg, backend, train, data.hold().validation(), data.split().test(),
                new MetricCandidateScorer(backend, train, cfg.metrics(), cfg.inits(), cfg.scoring()), observer);
        SearchRun.Result r = run.run(null);
        ModelManifest manifest = ModelManifest.of(ArchitectureSpaces.require(r.network().space()), data.name(), train,
                train.channelStats(),
                backend.name(), cfg.train().batch());
        return new SearchOutcome(r, manifest);
    }

    /**
     * Trains {@code network} from a fresh initialisation (seed {@code cfg.seed()}) on
     * {@code dataset}'s training images less {@code cfg.validation()} held out, reporting to
     * {@code listener}, and tests it.
     */
    public TrainOutcome train(SpaceNetwork network, TrainConfig cfg, TrainingData dataset, TrainingListener listener) {
        ImageDataset train = dataset.hold().train();
        ExecutionPlan plan = ExecutionPlan.compile(ArchitectureSpaces.lower(network), cfg.batch(), backend.bytesPerElement(),
                PlanOptions.TRAINING);
        try (Network net = Network.bind(plan, backend)) {
            net.initialize(cfg.seed(), InitScheme.FAN_IN);
            ChannelStats stats = train.channelStats();
            Trainer trainer = new Trainer(net, cfg, train, stats);
            List<EpochMetrics> history = trainer.run(0, dataset.hold().validation(), listener);
            Evaluation test = trainer.evaluate(dataset.split().test());
            ModelManifest manifest = ModelManifest.of(ArchitectureSpaces.require(network.space()), dataset.name(), train, stats,
                    backend.name(), cfg.batch());
            return new TrainOutcome(network, net.exportForInference(), history, test, manifest);
        }
    }

    /**
     * A saved model on labelled {@code images} (normalised as the model was trained): accuracy,
     * loss, per-class accuracy, the confusion matrix and every image's prediction.
     */
    public EvaluationReport evaluate(SavedModel model, ImageDataset images) {
        ModelManifest m = model.manifest();
        try (Network net = model.open(backend, m.batch())) {
            return EvaluationReport.compute(net, images, m.normalization(), m.classNames(), m.dataset(), backend.name());
        }
    }

    /** The {@code k} likeliest classes of each of {@code images} (labels unused), best first. */
    public List<List<ClassScore>> predict(SavedModel model, ImageDataset images, int k) {
        ModelManifest m = model.manifest();
        try (Network net = model.open(backend, m.batch())) {
            return Predictor.topK(net, images, m.normalization(), m.classNames(), k);
        }
    }

    /**
     * Writes {@code model} as an ONNX model of its evaluation-mode prediction (see
     * {@link OnnxExport#of(SavedModel)}: pixels / 255 in, logits out, the run's normalisation and
     * class names inside); an {@link org.spidernet.deploy.onnx.OnnxExportException} for weights it
     * cannot export.
     */
    public static void exportOnnx(SavedModel model, java.nio.file.Path file) throws IOException {
        OnnxExport.of(model).write(file);
    }

    @Override
    public void close() {
        backend.close();
    }
}
