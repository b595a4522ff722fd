package org.spidernet.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.backend.Backend;
import org.spidernet.backend.Backends;
import org.spidernet.data.ChannelStats;
import org.spidernet.data.DatasetFixtures;
import org.spidernet.data.DatasetRegistry;
import org.spidernet.data.ImageDataset;
import org.spidernet.deploy.SavedModel;
import org.spidernet.exec.Network;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code spidernet export}: a trained run's ONNX model, run in ONNX Runtime on the run's test
 * images as pixels / 255, gives the logits the engine's reference backend computes for the same
 * saved model (relative normwise error at most 1e-4; float32 against float64); bad input is one
 * line and writes nothing.
 */
class ExportCommandTest {
    private static final double TOLERANCE = 1e-4;

    @Test
    void theExportedModelPredictsWhatTheSavedModelPredicts(@TempDir Path tmp) throws Exception {
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 40, 12, 6, 6);
        Path run = tmp.resolve("run");
        CliRun train = CliRun.of("train", "--dataset", "mnist", "--data", data.toString(), "--backend", "reference",
                "--channels", "2", "--reductions", "1", "--batch", "8", "--validation", "8", "--epochs", "2",
                "--seed", Long.toString(System.nanoTime() % 100000), "--quiet", "--out", run.toString());
        assertEquals(0, train.exit(), train.err());
        for (boolean raw : new boolean[]{true, false}) {
            Path onnx = tmp.resolve(raw ? "pixels.onnx" : "normalised.onnx");
            CliRun ex = raw ? CliRun.of("export", run.toString(), "--onnx", onnx.toString())
                    : CliRun.of("export", run.toString(), "--onnx", onnx.toString(), "--normalized-input");
            assertEquals(0, ex.exit(), ex.err());
            assertTrue(ex.out().startsWith("wrote " + onnx + ": ONNX opset 17, input image [batch, 1, 6, 6]"), ex.out());

            SavedModel model = SavedModel.load(run);
            ImageDataset test = DatasetRegistry.load("mnist", data).test();
            int n = test.count();
            int pixels = test.imageSize();
            ChannelStats stats = model.manifest().normalization();
            float[] input = new float[n * pixels];
            double[] normalised = new double[n * pixels];
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < pixels; p++) {
                    double x = test.pixel(i, 0, p / 6, p % 6) / 255.0;
                    input[i * pixels + p] = (float) (raw ? x : (x - stats.mean(0)) / stats.std(0));
                    normalised[i * pixels + p] = (x - stats.mean(0)) / stats.std(0);
                }
            }
            double[] expected;
            try (Backend be = Backends.resolve("reference").open(); Network net = model.open(be, n)) {
                net.forward(normalised, false, 0.0, null);
                expected = net.classifierLogits();
            }
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession session = env.createSession(onnx.toString(), new OrtSession.SessionOptions());
                 OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[]{n, 1, 6, 6});
                 OrtSession.Result out = session.run(Map.of("image", x))) {
                float[][] logits = (float[][]) out.get(0).getValue();
                double diff = 0;
                double norm = 0;
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < logits[i].length; k++) {
                        double e = expected[i * logits[i].length + k];
                        diff += (logits[i][k] - e) * (logits[i][k] - e);
                        norm += e * e;
                    }
                }
                assertTrue(Math.sqrt(diff / norm) <= TOLERANCE, "relative error " + Math.sqrt(diff / norm));
                assertTrue(session.getMetadata().getCustomMetadata().get("spidernet.class_names").startsWith("[\""),
                        "class names travel with the model");
            }
        }
    }

    @Test
    void aDirectoryWithoutAModelOrAMissingFlagIsOneLineAndWritesNothing(@TempDir Path tmp) {
        Path onnx = tmp.resolve("m.onnx");
        CliRun none = CliRun.of("export", tmp.toString(), "--onnx", onnx.toString());
        assertTrue(none.isOneLineError(1), none.err());
        assertTrue(none.err().contains("model.json") && none.err().contains("not found"), none.err());
        assertFalse(Files.exists(onnx));
        CliRun flag = CliRun.of("export", tmp.toString());
        assertTrue(flag.isOneLineError(2), flag.err());
        assertTrue(flag.err().contains("--onnx"), flag.err());
        CliRun dir = CliRun.of("export", tmp.toString(), "--onnx", tmp.toString());
        assertTrue(dir.isOneLineError(2), dir.err());
    }
}
