package org.spidernet.cli;

import org.spidernet.deploy.ModelManifest;
import org.spidernet.deploy.SavedModel;
import org.spidernet.deploy.onnx.OnnxExport;
import org.spidernet.deploy.onnx.OnnxExportException;
import org.spidernet.deploy.onnx.proto.ModelProto;
import org.spidernet.graph.InputSpec;
import org.spidernet.io.AtomicFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code spidernet export RUN_DIR --onnx FILE}: a finished run's saved model as an ONNX model of
 * its eval-mode prediction ({@link OnnxExport}: opset {@value OnnxExport#OPSET}, closed and
 * deleted ops left out). By default the model takes pixels scaled to [0, 1] and normalises them
 * itself, as the run did; {@code --normalized-input} leaves that to the caller.
 */
@Command(name = "export", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = {"Export a finished train or search run's saved model (RUN_DIR/model.json) as an ONNX model "
                + "(opset " + OnnxExport.OPSET + "): input 'image' [batch, C, H, W], output 'logits' [batch, classes].",
                "The input is pixels / 255; the model applies the run's normalisation itself unless --normalized-input."})
final class ExportCommand implements Callable<Integer> {

    @CommandLine.Mixin
    LoggingOptions logging;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "Directory of a finished train or search run.")
    Path runDir;

    @Option(names = "--onnx", paramLabel = "FILE", required = true, description = "Write the ONNX model here (replaced if it exists).")
    Path onnx;

    @Option(names = "--normalized-input", description = "Leave the input normalisation (pixel / 255 - mean) / std to the "
            + "caller: the model's input is the normalised tensor the engine feeds its networks.")
    boolean normalizedInput;

    @Override
    public Integer call() throws Exception {
        if (Files.isDirectory(onnx)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--onnx " + onnx + " is a directory");
        }
        SavedModel model = SavedModel.load(runDir);
        ModelManifest m = model.manifest();
        OnnxExport export = OnnxExport.of(model).withProducerVersion(BuildVersion.version());
        if (normalizedInput) {
            export = export.withNormalisation(null);
        }
        ModelProto proto;
        try {
            proto = export.model();
        } catch (OnnxExportException e) {
            throw new IllegalArgumentException(runDir + ": cannot export: " + e.getMessage(), e);
        }
        byte[] bytes = proto.toByteArray();
        AtomicFiles.write(onnx, out -> out.write(bytes));
        InputSpec in = m.input();
        System.out.printf(Locale.ROOT, "wrote %s: ONNX opset %d, input image [batch, %d, %d, %d] (%s), output logits [batch, %d] (%s), "
                        + "%d nodes, %d initializers%n", onnx, OnnxExport.OPSET, in.channels(), in.height(), in.width(),
                normalizedInput ? "normalised" : "pixels / 255", in.classes(), m.space(), proto.getGraph().getNodeCount(),
                proto.getGraph().getInitializerCount());
        return 0;
    }
}
