package org.spidernet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.spidernet.backend.Backend;
import org.spidernet.backend.BackendProvider;
import org.spidernet.data.ImageDataset;
import org.spidernet.data.ImageFile;
import org.spidernet.deploy.ClassScore;
import org.spidernet.deploy.ModelManifest;
import org.spidernet.deploy.Predictor;
import org.spidernet.deploy.SavedModel;
import org.spidernet.exec.Network;
import org.spidernet.graph.InputSpec;
import org.spidernet.io.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code spidernet predict}: the top classes a finished run's saved model gives each image of
 * PNG files, IDX image files or CIFAR binary batches. Every file is read and checked against the
 * model's input shape before anything runs or is written.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = {"Classify images with a finished train or search run's saved model: one row per image "
                + "(file, index in the file, then class index, name and softmax probability of each of the top K classes).",
                "IMAGES are PNG files (one image each), IDX image files (gzipped or not) or CIFAR binary batches "
                        + "(labels ignored), recognised by content. Images must have the model's size; "
                        + "colour PNGs for a grey model become grey by the ITU-R BT.601 luma, "
                        + "transparency is composited over black, nothing is resized."})
final class PredictCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(PredictCommand.class);

    @CommandLine.Mixin
    LoggingOptions logging;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "Directory of a finished train or search run.")
    Path runDir;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "IMAGES", description = "Image files: PNG, IDX images, CIFAR binary.")
    List<Path> images;

    @Option(names = "--top", paramLabel = "K", defaultValue = "5", description = "Classes per image (default: ${DEFAULT-VALUE}, at most the model's classes).")
    int top;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "csv", description = "csv or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--output", paramLabel = "FILE", description = "Write here, atomically (default: standard output).")
    Path output;

    @CommandLine.Mixin
    SavedModelOptions run;

    private CommandLine.ParameterException bad(String msg) {
        return new CommandLine.ParameterException(spec.commandLine(), msg);
    }

    private record Source(String file, int index) {
    }

    @Override
    public Integer call() throws Exception {
        // ---- check every input before anything runs
        if (!format.equals("csv") && !format.equals("json")) {
            throw bad("--format must be csv or json, got '" + format + "'");
        }
        run.check(spec);
        if (top < 1) {
            throw bad("--top must be >= 1, got " + top);
        }
        if (output != null && Files.isDirectory(output)) {
            throw bad("--output " + output + " is a directory");
        }
        SavedModel model = SavedModel.load(runDir);
        ModelManifest m = model.manifest();
        InputSpec in = m.input();
        if (top > in.classes()) {
            throw bad("--top " + top + " is more than the model's " + in.classes() + " classes");
        }
        BackendProvider provider = run.provider(m);
        int batchSize = run.batch(m);
        List<ImageFile> files = new ArrayList<>();
        List<Source> sources = new ArrayList<>();
        long total = 0;
        for (Path p : images) {
            ImageFile f = ImageFile.read(p, in.channels(), in.height(), in.width());
            files.add(f);
            total += f.count();
            for (int i = 0; i < f.count(); i++) {
                sources.add(new Source(p.toString(), i));
            }
        }
        int imageBytes = in.channels() * in.height() * in.width();
        if (total * imageBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(total + " images are more than one run can hold; predict on fewer files at a time");
        }
        byte[] pixels = new byte[(int) total * imageBytes];
        int at = 0;
        for (ImageFile f : files) {
            System.arraycopy(f.pixels(), 0, pixels, at, f.pixels().length);
            at += f.pixels().length;
        }
        ImageDataset all = ImageDataset.unlabelled((int) total, in.channels(), in.height(), in.width(), pixels);

        // ---- run
        List<List<ClassScore>> ranked;
        try (Backend be = provider.open(); Network net = model.open(be, batchSize)) {
            LOG.info(String.format(Locale.ROOT, "spidernet predict: %s, %d images from %d files, top %d, batch %d", be.name(), total,
                    files.size(), top, batchSize));
            ranked = Predictor.topK(net, all, m.normalization(), m.classNames(), top);
        }
        String text = format.equals("csv") ? csv(sources, ranked) : json(sources, ranked);
        if (output == null) {
            System.out.print(text);
        } else {
            AtomicFiles.writeString(output, text);
        }
        return 0;
    }

    private String csv(List<Source> sources, List<List<ClassScore>> ranked) {
        StringBuilder s = new StringBuilder("file,index");
        for (int r = 1; r <= top; r++) {
            s.append(",top").append(r).append("_class,top").append(r).append("_name,top").append(r).append("_probability");
        }
        s.append('\n');
        for (int i = 0; i < sources.size(); i++) {
            s.append(CsvField.of(sources.get(i).file())).append(',').append(sources.get(i).index());
            for (ClassScore c : ranked.get(i)) {
                s.append(',').append(c.index()).append(',').append(CsvField.of(c.name())).append(',')
                        .append(String.format(Locale.ROOT, "%.6f", c.probability()));
            }
            s.append('\n');
        }
        return s.toString();
    }

    private static String json(List<Source> sources, List<List<ClassScore>> ranked) throws Exception {
        ArrayNode rows = MAPPER.createArrayNode();
        for (int i = 0; i < sources.size(); i++) {
            ObjectNode row = rows.addObject();
            row.put("file", sources.get(i).file());
            row.put("index", sources.get(i).index());
            ArrayNode topArr = row.putArray("top");
            for (ClassScore c : ranked.get(i)) {
                ObjectNode o = topArr.addObject();
                o.put("class", c.index());
                o.put("name", c.name());
                o.put("probability", c.probability());
            }
        }
        return MAPPER.writeValueAsString(rows) + "\n";
    }
}
