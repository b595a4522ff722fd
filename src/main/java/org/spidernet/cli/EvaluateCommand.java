package org.spidernet.cli;

import org.spidernet.backend.Backend;
import org.spidernet.backend.BackendProvider;
import org.spidernet.data.DatasetRegistry;
import org.spidernet.data.ImageDataset;
import org.spidernet.deploy.ConfusionMatrix;
import org.spidernet.deploy.EvaluationReport;
import org.spidernet.deploy.ModelManifest;
import org.spidernet.deploy.SavedModel;
import org.spidernet.exec.Network;
import org.spidernet.graph.InputSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code spidernet evaluate}: tests the saved model of a finished train or search run on its
 * dataset's test split. Dataset, backend and batch default to the run's own (from
 * {@code model.json}), so the accuracy reproduces the run's summary exactly. Everything is
 * checked, and the test set loaded, before the output directory is created.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = {"Test a finished train or search run's saved model (RUN_DIR/model.json) on the test split "
                + "of its dataset: prints the accuracy and a per-class table, and writes evaluation.json, "
                + "per-class.csv, confusion.csv, predictions.csv and confusion.png into --out.",
                "Dataset, backend and batch default to the run's own, so the accuracy is the run's summary figure."})
final class EvaluateCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(EvaluateCommand.class);

    @CommandLine.Mixin
    LoggingOptions logging;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "Directory of a finished train or search run.")
    Path runDir;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Dataset directory (default for fashion-mnist: /usr/share/datasets/fashion-mnist).")
    Path data;

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "Test on this dataset's test split; its images and classes must fit the model (default: the run's).")
    String dataset;

    @CommandLine.Mixin
    SavedModelOptions run;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: RUN_DIR/evaluation); files there are replaced.")
    Path out;

    private CommandLine.ParameterException bad(String msg) {
        return new CommandLine.ParameterException(spec.commandLine(), msg);
    }

    @Override
    public Integer call() throws Exception {
        // ---- check every input before anything is written
        run.check(spec);
        String datasetName;
        try {
            datasetName = dataset != null ? DatasetRegistry.canonicalName(dataset) : null;
        } catch (IllegalArgumentException e) {
            throw bad("--dataset: " + e.getMessage());
        }
        Path outDir = out != null ? out : runDir.resolve("evaluation");
        if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
            throw bad("--out " + outDir + " exists and is not a directory");
        }
        SavedModel model = SavedModel.load(runDir);
        ModelManifest m = model.manifest();
        if (datasetName == null) {
            try {
                datasetName = DatasetRegistry.canonicalName(m.dataset());
            } catch (IllegalArgumentException e) {
                throw new IOException(runDir.resolve(ModelManifest.FILE) + ": " + e.getMessage()
                        + " (pass --dataset NAME)", e);
            }
        }
        int batchSize = run.batch(m);
        BackendProvider provider = run.provider(m);
        ImageDataset test = DatasetRegistry.load(datasetName, data).test();
        InputSpec in = m.input();
        if (test.channels() != in.channels() || test.height() != in.height() || test.width() != in.width()
                || test.numClasses() != in.classes()) {
            throw new IllegalArgumentException(datasetName + " has " + test.channels() + "x" + test.height() + "x"
                    + test.width() + " images of " + test.numClasses() + " classes, but the model in " + runDir
                    + " takes " + in.channels() + "x" + in.height() + "x" + in.width() + " images of " + in.classes()
                    + " classes");
        }
        // the model's class names, unless the dataset differs (same shape, other classes)
        List<String> names = datasetName.equals(DatasetRegistry.canonicalName(m.dataset())) ? m.classNames()
                : DatasetRegistry.classNames(datasetName);

        // ---- run
        EvaluationReport report;
        String backendName;
        try (Backend be = provider.open(); Network net = model.open(be, batchSize)) {
            backendName = be.name();
            LOG.info(String.format(Locale.ROOT, "spidernet evaluate: %s, %s test split (%d images), batch %d", backendName,
                    datasetName, test.count(), batchSize));
            report = EvaluationReport.compute(net, test, m.normalization(), names, datasetName, backendName);
        }
        Files.createDirectories(outDir);
        EvaluationOutputs.write(outDir, report, runDir, batchSize);

        ConfusionMatrix cm = report.confusion();
        System.out.printf(Locale.ROOT, "test accuracy %.4f (%d of %d images), loss %.4f, %s on %s; results in %s%n",
                report.accuracy(), cm.correct(), report.count(), report.loss(), datasetName, backendName, outDir);
        TextTable table = new TextTable(List.of("class", "name", "images", "correct", "accuracy"), 2);
        for (int c = 0; c < cm.classes(); c++) {
            double acc = cm.classAccuracy(c);
            table.addRow(List.of(Integer.toString(c), names.get(c), Long.toString(cm.classCount(c)),
                    Long.toString(cm.classCorrect(c)), Double.isNaN(acc) ? "-" : String.format(Locale.ROOT, "%.4f", acc)));
        }
        System.out.print(table.render());
        return 0;
    }
}
