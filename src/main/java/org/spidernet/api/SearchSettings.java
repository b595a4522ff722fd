package org.spidernet.api;

import org.spidernet.backend.BackendProvider;
import org.spidernet.metrics.MetricRegistry;
import org.spidernet.search.SearchConfig;
import org.spidernet.search.SearchDefaults;
import org.spidernet.search.SearchLimits;
import org.spidernet.search.SearchStrategies;
import org.spidernet.search.SearchStrategy;
import org.spidernet.search.StrategyOption;
import org.spidernet.train.TrainConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The settings of a search as a user gives them, each optional: {@link #resolve} fills every
 * setting left unset with the default for the machine the backend runs on and checks the whole
 * into a {@link SearchConfig}. The command line's {@code search} flags and the library facade
 * ({@link SpiderNetEngine#search}) both go through it, so a default or a range check has one home.
 * Names follow the command line's flags ({@code epochsPerIteration} is
 * {@code --epochs-per-iteration}).
 */
public final class SearchSettings {
    /**
     * Strategy options that are settings of their own here (and flags of their own on the
     * command line), not entries of {@link #option}.
     */
    public static final Set<String> OWN_SETTINGS = Set.of("metrics", "candidates", "inits");

    private String strategy = SearchDefaults.STRATEGY;
    private String dataset = SearchDefaults.DATASET;
    private Path data;
    private String backend = SearchDefaults.BACKEND;
    private Integer reductions;
    private Integer channels;
    private Integer iterations;
    private Integer epochsPerIteration;
    private Integer finalEpochs;
    private Integer limitTrain;
    private Integer validation;
    private Integer batch;
    private Double learningRate;
    private Double dropPath;
    private Integer crop;
    private Integer cutout;
    private Boolean perStepDecay;
    private Long memoryBudgetBytes;
    private Long deviceMemoryBytes;
    private Long maxImages;
    private Double maxSeconds;
    private List<String> metrics;
    private Integer candidates;
    private Integer inits;
    private Long seed;
    private String space;
    private final Map<String, String> options = new TreeMap<>();

    /** The search strategy's name ({@link SearchStrategies#names()}; default spidernet). */
    public SearchSettings strategy(String name) {
        this.strategy = name;
        return this;
    }

    /** The dataset's name (default fashion-mnist) and directory (null: its default directory). */
    public SearchSettings dataset(String name, Path directory) {
        this.dataset = name;
        this.data = directory;
        return this;
    }

    /** auto, cpu, reference, cuda or cuda-emulated (default auto). */
    public SearchSettings backend(String name) {
        this.backend = name;
        return this;
    }

    public SearchSettings reductions(int r) {
        this.reductions = r;
        return this;
    }

    public SearchSettings channels(int c) {
        this.channels = c;
        return this;
    }

    public SearchSettings iterations(int n) {
        this.iterations = n;
        return this;
    }

    public SearchSettings epochsPerIteration(int n) {
        this.epochsPerIteration = n;
        return this;
    }

    public SearchSettings finalEpochs(int n) {
        this.finalEpochs = n;
        return this;
    }

    /** Only the first {@code n} training images. */
    public SearchSettings limitTrain(int n) {
        this.limitTrain = n;
        return this;
    }

    /** The last {@code n} training images held out for the search's decisions. */
    public SearchSettings validation(int n) {
        this.validation = n;
        return this;
    }

    public SearchSettings batch(int n) {
        this.batch = n;
        return this;
    }

    public SearchSettings learningRate(double lr) {
        this.learningRate = lr;
        return this;
    }

    public SearchSettings dropPath(double p) {
        this.dropPath = p;
        return this;
    }

    public SearchSettings crop(int padding) {
        this.crop = padding;
        return this;
    }

    public SearchSettings cutout(int side) {
        this.cutout = side;
        return this;
    }

    /** Move the cosine learning-rate schedule every step (true) or once per epoch (false). */
    public SearchSettings perStepDecay(boolean everyStep) {
        this.perStepDecay = everyStep;
        return this;
    }

    /**
     * The cosine schedule's step as the command line names it: {@code step} (every step) or
     * {@code epoch} (once per epoch); anything else is refused.
     */
    public SearchSettings lrDecay(String mode) {
        if (!"step".equals(mode) && !"epoch".equals(mode)) {
            throw new IllegalArgumentException("--lr-decay must be step or epoch, got '" + mode + "'");
        }
        return perStepDecay(mode.equals("step"));
    }

    /** The memory budget for the planned training peak, in bytes. */
    public SearchSettings memoryBudget(long bytes) {
        this.memoryBudgetBytes = bytes;
        return this;
    }

    /** An emulated device holding only this many bytes in tensors (null: the backend's own). */
    public SearchSettings deviceMemory(Long bytes) {
        this.deviceMemoryBytes = bytes;
        return this;
    }

    /** Stop growing or sampling after training on this many images. */
    public SearchSettings maxImages(long n) {
        this.maxImages = n;
        return this;
    }

    /** Stop after this much wall-clock time. */
    public SearchSettings maxSeconds(double seconds) {
        this.maxSeconds = seconds;
        return this;
    }

    public SearchSettings metrics(List<String> names) {
        this.metrics = List.copyOf(names);
        return this;
    }

    public SearchSettings candidates(int n) {
        this.candidates = n;
        return this;
    }

    public SearchSettings inits(int n) {
        this.inits = n;
        return this;
    }

    public SearchSettings seed(long s) {
        this.seed = s;
        return this;
    }

    /**
     * The space to search instead of the strategy's own ({@code search --space}): a name, or a
     * file, whose path is kept absolute so that a resumed run reads the same file from anywhere;
     * null for the strategy's own space. Which names and files open is the plug-ins' business
     * ({@link org.spidernet.search.SampledSpaces}).
     */
    public SearchSettings space(String nameOrFile) {
        this.space = nameOrFile == null ? null : spaceArgument(nameOrFile);
        return this;
    }

    /** A {@code --space} value as runs keep it: an existing file's path absolute, a name as it is. */
    public static String spaceArgument(String nameOrFile) {
        try {
            Path p = Path.of(nameOrFile);
            return java.nio.file.Files.isRegularFile(p) ? p.toAbsolutePath().normalize().toString() : nameOrFile;
        } catch (java.nio.file.InvalidPathException e) {
            return nameOrFile; // not a path on this system: a name, which the plug-ins judge
        }
    }

    /** One of the strategy's own options ({@link SearchStrategy#options()}), e.g. DARTS's layers. */
    public SearchSettings option(String name, String value) {
        options.put(name, value);
        return this;
    }

    public String backendName() {
        return backend;
    }

    /**
     * The configuration these settings give on a machine of {@code caps}: every unset setting at
     * its default, every value checked; an {@link IllegalArgumentException} naming the setting
     * ({@link UnknownOptionException} for an option the strategy lacks) otherwise.
     */
    public SearchConfig resolve(BackendProvider.Capabilities caps) {
        if (SearchStrategies.find(strategy).isEmpty()) {
            throw new UnknownOptionException("--strategy: " + SearchStrategies.unknown(strategy), strategy,
                    SearchStrategies.names());
        }
        SearchStrategy chosen = SearchStrategies.byName(strategy);
        SearchStrategies.checkSpace(chosen, space);
        boolean device = caps.hasDevice();
        SearchDefaults d = chosen.defaults(SearchDefaults.forMachine(caps), device);
        Map<String, String> resolvedOptions = strategyOptions(chosen, device);
        List<String> metricNames = metrics != null ? metrics : SearchDefaults.METRICS;
        for (String m : metricNames) {
            try {
                MetricRegistry.byName(m);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--metrics: " + e.getMessage(), e);
            }
        }
        int epi = epochsPerIteration != null ? epochsPerIteration : d.epochsPerIteration();
        if (epi < 1) {
            // TrainConfig would say "epochs", which here could be either kind
            throw new IllegalArgumentException("--epochs-per-iteration must be >= 1, got " + epi);
        }
        if (maxImages != null && maxImages < 1) {
            throw new IllegalArgumentException("--max-images must be >= 1, got " + maxImages);
        }
        if (maxSeconds != null && !(maxSeconds > 0)) {
            throw new IllegalArgumentException("--max-time must be > 0 seconds, got " + maxSeconds);
        }
        SearchLimits limits = new SearchLimits(maxImages != null ? maxImages : SearchLimits.NONE.images(),
                maxSeconds != null ? maxSeconds : SearchLimits.NONE.wallSeconds());
        long budget = memoryBudgetBytes != null ? memoryBudgetBytes : SearchDefaults.memoryBudget(caps);
        long s = seed != null ? seed : SearchDefaults.SEED;
        TrainConfig tc = TrainConfig.spiderNetDefaults(s).withEpochs(epi)
                .withBatch(batch != null ? batch : SearchDefaults.BATCH)
                .withLearningRate(learningRate != null ? learningRate : d.learningRate())
                .withValidation(validation != null ? validation : SearchDefaults.VALIDATION)
                .withDropPath(dropPath != null ? dropPath : d.dropPath())
                .withAugmentation(crop != null ? crop : d.crop(), true, cutout != null ? cutout : d.cutout(), 0.5)
                .withPerStepDecay(perStepDecay != null ? perStepDecay : d.perStepDecay());
        SearchConfig.Source source = new SearchConfig.Source(dataset, data != null ? data.toAbsolutePath().toString() : null,
                limitTrain != null ? limitTrain : d.limitTrain(), backend, deviceMemoryBytes);
        SearchConfig cfg = new SearchConfig(reductions != null ? reductions : SearchDefaults.REDUCTIONS,
                channels != null ? channels : d.channels(), iterations != null ? iterations : d.iterations(), tc,
                finalEpochs != null ? finalEpochs : d.finalEpochs(), budget,
                candidates != null ? candidates : SearchDefaults.CANDIDATES, metricNames,
                inits != null ? inits : d.inits(), d.scoring(), strategy, s, source, resolvedOptions, limits, space);
        chosen.validate(cfg);
        return cfg;
    }

    /**
     * The strategy's own options that are not settings of their own: each as given, else its
     * default for this machine class; a name the strategy does not have is refused.
     */
    private Map<String, String> strategyOptions(SearchStrategy chosen, boolean device) {
        Map<String, String> out = new TreeMap<>();
        List<String> known = new ArrayList<>();
        for (StrategyOption o : chosen.options()) {
            if (OWN_SETTINGS.contains(o.name())) {
                continue;
            }
            known.add(o.name());
            out.put(o.name(), options.getOrDefault(o.name(), device ? o.gpuDefault() : o.cpuDefault()));
        }
        for (String name : options.keySet()) {
            if (!known.contains(name)) {
                throw new UnknownOptionException("--option: strategy '" + chosen.name() + "' has no option '" + name + "'"
                        + (known.isEmpty() ? " (it has none)" : " (known: " + String.join(", ", known) + ")"), name, known);
            }
        }
        return out;
    }
}
