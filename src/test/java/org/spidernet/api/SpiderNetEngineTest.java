package org.spidernet.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.cli.SpiderNet;
import org.spidernet.data.DatasetFixtures;
import org.spidernet.data.TrainingData;
import org.spidernet.deploy.SavedModel;
import org.spidernet.graph.Genome;
import org.spidernet.graph.InputSpec;
import org.spidernet.search.IterationRecord;
import org.spidernet.search.SearchRun;
import org.spidernet.search.SpaceNetwork;
import org.spidernet.deploy.EvaluationReport;
import org.spidernet.train.TrainConfig;
import org.spidernet.train.TrainingListener;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The library facade does what the command line does: the same settings give the same found
 * network and test accuracy as {@code spidernet search}; a saved outcome loads and re-tests to
 * the same figure; training through the facade reports every epoch.
 */
class SpiderNetEngineTest {

    @Test
    void aSearchThroughTheFacadeFindsWhatTheCommandLineFindsAndItsSavedModelRetestsTheSame(@TempDir Path tmp)
            throws Exception {
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 48, 12, 6, 6);
        List<IterationRecord> seen = new ArrayList<>();
        SearchOutcome found;
        try (SpiderNetEngine engine = SpiderNetEngine.open("reference")) {
            found = engine.search(new SearchSettings().strategy("random").dataset("mnist", data).channels(2).reductions(1)
                    .batch(8).validation(8).iterations(2).epochsPerIteration(1).finalEpochs(1).seed(5),
                    new SearchRun.Observer() {
                        @Override
                        public void iterationFinished(IterationRecord r) {
                            seen.add(r);
                        }
                    });
            assertEquals(2, seen.size(), "the observer hears every iteration");
            found.save(tmp.resolve("model"));
            SavedModel model = SavedModel.load(tmp.resolve("model"));
            EvaluationReport again = engine.evaluate(model, TrainingData.load("mnist", data, null, 8, 8).split().test());
            assertEquals(found.result().test().accuracy(), again.accuracy(), 0.0);
            assertEquals(found.result().test().loss(), again.loss(), 1e-12);
        }
        Path cli = tmp.resolve("cli");
        int code = SpiderNet.execute("search", "--strategy", "random", "--dataset", "mnist", "--data", data.toString(),
                "--backend", "reference", "--channels", "2", "--reductions", "1", "--batch", "8", "--validation", "8",
                "--iterations", "2", "--epochs-per-iteration", "1", "--final-epochs", "1", "--seed", "5", "--quiet",
                "--out", cli.toString());
        assertEquals(0, code);
        JsonNode summary = new ObjectMapper().readTree(cli.resolve("summary.json").toFile());
        assertEquals(summary.get("test_accuracy").asDouble(), found.result().test().accuracy(), 0.0);
        assertEquals(Files.readString(cli.resolve("genome.json")), found.result().network().json());
    }

    @Test
    void trainingThroughTheFacadeReportsEveryEpochAndSaves(@TempDir Path tmp) throws Exception {
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 40, 12, 6, 6);
        TrainConfig cfg = TrainConfig.spiderNetDefaults(3).withEpochs(2).withBatch(8).withValidation(8);
        List<Integer> epochs = new ArrayList<>();
        try (SpiderNetEngine engine = SpiderNetEngine.open("reference")) {
            TrainingData d = TrainingData.load("mnist", data, null, cfg.validation(), cfg.batch());
            Genome g = Genome.initial(new InputSpec(1, 6, 6, 10), 2, 1);
            TrainOutcome t = engine.train(SpaceNetwork.of(g), cfg, d, new TrainingListener() {
                @Override
                public void epochFinished(org.spidernet.train.EpochMetrics m) {
                    epochs.add(m.epoch());
                }
            });
            assertEquals(List.of(0, 1), epochs);
            t.save(tmp.resolve("model"));
            SavedModel model = SavedModel.load(tmp.resolve("model"));
            EvaluationReport report = engine.evaluate(model, d.split().test());
            assertEquals(t.test().accuracy(), report.accuracy(), 0.0);
            List<List<org.spidernet.deploy.ClassScore>> top = engine.predict(model, d.split().test(), 2);
            for (int i = 0; i < top.size(); i++) {
                assertEquals(2, top.get(i).size());
                assertEquals(report.predicted()[i], top.get(i).get(0).index(), "image " + i);
            }
            // the exported model, run in ONNX Runtime on pixels / 255, predicts what evaluate counted
            Path onnx = tmp.resolve("net.onnx");
            SpiderNetEngine.exportOnnx(model, onnx);
            org.spidernet.data.ImageDataset test = d.split().test();
            float[] pixels = new float[test.count() * test.imageSize()];
            for (int i = 0; i < test.count(); i++) {
                for (int p = 0; p < test.imageSize(); p++) {
                    pixels[i * test.imageSize() + p] = test.pixel(i, 0, p / 6, p % 6) / 255f;
                }
            }
            ai.onnxruntime.OrtEnvironment env = ai.onnxruntime.OrtEnvironment.getEnvironment();
            try (ai.onnxruntime.OrtSession session = env.createSession(onnx.toString(), new ai.onnxruntime.OrtSession.SessionOptions());
                 ai.onnxruntime.OnnxTensor x = ai.onnxruntime.OnnxTensor.createTensor(env, java.nio.FloatBuffer.wrap(pixels),
                         new long[]{test.count(), 1, 6, 6});
                 ai.onnxruntime.OrtSession.Result out = session.run(java.util.Map.of("image", x))) {
                float[][] logits = (float[][]) out.get(0).getValue();
                for (int i = 0; i < logits.length; i++) {
                    int best = 0;
                    for (int k = 1; k < logits[i].length; k++) {
                        best = logits[i][k] > logits[i][best] ? k : best;
                    }
                    assertEquals(report.predicted()[i], best, "image " + i);
                }
            }
        }
    }

    @Test
    void badSettingsAreRefusedNamingTheSetting() {
        try (SpiderNetEngine engine = SpiderNetEngine.open("reference")) {
            UnknownOptionException u = assertThrows(UnknownOptionException.class,
                    () -> new SearchSettings().strategy("darts").option("layerz", "3").resolve(engine.capabilities()));
            assertTrue(u.getMessage().contains("strategy 'darts' has no option 'layerz'"), u.getMessage());
            assertTrue(u.known().contains("layers"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new SearchSettings().epochsPerIteration(0).resolve(engine.capabilities()));
            assertEquals("--epochs-per-iteration must be >= 1, got 0", e.getMessage());
        }
    }
}
