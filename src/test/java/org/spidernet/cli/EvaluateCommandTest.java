package org.spidernet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.data.DatasetFixtures;
import org.spidernet.data.DatasetRegistry;
import org.spidernet.data.FashionMnist;
import org.spidernet.data.IdxReader;
import org.spidernet.data.ImageDataset;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code evaluate} and {@code predict} on a model trained for real: the evaluation reproduces the
 * run's own test figures exactly and is consistent with itself, and {@code predict} on the first
 * test images (as IDX and as PNG files) agrees with evaluate's per-image predictions. Skipped
 * where Fashion-MNIST is not installed (scripts/install-fashion-mnist installs it).
 */
class EvaluateCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FIRST = 10;

    @Test
    void reproducesTheRunsTestFiguresAndPredictAgreesImageByImage(@TempDir Path tmp) throws Exception {
        Optional<Path> installed = FashionMnist.findInstalled();
        assumeTrue(installed.isPresent(), "Fashion-MNIST not installed; run scripts/install-fashion-mnist to include this test");
        Path data = installed.get();
        Path run = tmp.resolve("run");
        CliRun train = CliRun.of("train", "--data", data.toString(), "--epochs", "1", "--limit-train", "1000",
                "--validation", "200", "--channels", "4", "--backend", "cpu", "--no-progress", "--out", run.toString());
        assertEquals(0, train.exit(), train.err());
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());

        // ---- evaluate with the run's own settings
        CliRun ev = CliRun.of("evaluate", run.toString());
        assertEquals(0, ev.exit(), ev.err());
        Path out = run.resolve("evaluation");
        JsonNode e = JSON.readTree(out.resolve(EvaluationOutputs.JSON).toFile());
        double accuracy = summary.get("test_accuracy").asDouble();
        assertEquals(accuracy, e.get("accuracy").asDouble(), 0.0, "the run's test accuracy, exactly");
        assertEquals(summary.get("test_loss").asDouble(), e.get("loss").asDouble(), 0.0, "the run's test loss, exactly");
        String firstLine = ev.out().lines().findFirst().orElseThrow();
        assertTrue(firstLine.startsWith(String.format(Locale.ROOT, "test accuracy %.4f (%d of 10000 images)", accuracy,
                Math.round(accuracy * 10000))), firstLine);
        assertEquals("cpu", e.get("backend").asText());
        assertEquals("fashion-mnist", e.get("dataset").asText());
        assertEquals(10000, e.get("count").asInt());

        // per-class figures and the confusion matrix agree with each other and with the test labels
        ImageDataset test = DatasetRegistry.load("fashion-mnist", data).test();
        int[] classCounts = test.classCounts();
        JsonNode cm = e.get("confusion");
        long trace = 0;
        for (int t = 0; t < 10; t++) {
            long row = 0;
            for (int p = 0; p < 10; p++) {
                row += cm.get(t).get(p).asLong();
            }
            JsonNode pc = e.get("per_class").get(t);
            assertEquals(classCounts[t], row, "row " + t + " sums to the class's test images");
            assertEquals(classCounts[t], pc.get("images").asLong());
            assertEquals(cm.get(t).get(t).asLong(), pc.get("correct").asLong());
            assertEquals(pc.get("correct").asDouble() / classCounts[t], pc.get("accuracy").asDouble(), 1e-15);
            assertTrue(ev.out().lines().anyMatch(l -> l.contains(pc.get("name").asText())
                    && l.endsWith(String.format(Locale.ROOT, "%.4f", pc.get("accuracy").asDouble()))), ev.out());
            trace += cm.get(t).get(t).asLong();
        }
        assertEquals(Math.round(accuracy * 10000), trace);
        assertEquals(11, Files.readAllLines(out.resolve(EvaluationOutputs.PER_CLASS)).size());
        assertEquals(11, Files.readAllLines(out.resolve(EvaluationOutputs.CONFUSION)).size());
        BufferedImage plot = ImageIO.read(out.resolve(EvaluationOutputs.PLOT).toFile());
        assertNotNull(plot, "confusion.png is a PNG");

        // predictions.csv: the true labels in order, and predictions that recount to the matrix
        List<String> rows = Files.readAllLines(out.resolve(EvaluationOutputs.PREDICTIONS));
        assertEquals(10001, rows.size());
        long[][] recount = new long[10][10];
        int[] predicted = new int[test.count()];
        for (int i = 0; i < test.count(); i++) {
            String[] f = rows.get(i + 1).split(",");
            assertEquals(i, Integer.parseInt(f[0]));
            assertEquals(test.label(i), Integer.parseInt(f[1]));
            predicted[i] = Integer.parseInt(f[3]);
            recount[test.label(i)][predicted[i]]++;
        }
        for (int t = 0; t < 10; t++) {
            for (int p = 0; p < 10; p++) {
                assertEquals(cm.get(t).get(p).asLong(), recount[t][p], "cell " + t + "," + p);
            }
        }

        // ---- predict on the first test images, as one gzipped IDX file and as PNG files
        Path idx = writeIdx(tmp.resolve("first.idx.gz"), test, FIRST);
        List<String> args = new ArrayList<>(List.of("predict", run.toString(), idx.toString()));
        for (int i = 0; i < FIRST; i++) {
            args.add(writePng(tmp.resolve("test-" + i + ".png"), test, i).toString());
        }
        CliRun pr = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, pr.exit(), pr.err());
        List<String> lines = pr.out().lines().toList();
        assertEquals(1 + 2 * FIRST, lines.size(), pr.out());
        assertTrue(lines.get(0).startsWith("file,index,top1_class,top1_name,top1_probability,top2_class"), lines.get(0));
        for (int r = 0; r < 2 * FIRST; r++) {
            String[] f = lines.get(r + 1).split(",");
            int image = r < FIRST ? r : r - FIRST;
            assertEquals(r < FIRST ? idx.toString() : tmp.resolve("test-" + image + ".png").toString(), f[0]);
            assertEquals(r < FIRST ? image : 0, Integer.parseInt(f[1]));
            assertEquals(2 + 3 * 5, f.length, "five classes per row");
            assertEquals(predicted[image], Integer.parseInt(f[2]), "top class of test image " + image);
        }

        // JSON: top-k ordered by probability, which sums to at most 1
        Path json = tmp.resolve("p.json");
        CliRun pj = CliRun.of("predict", run.toString(), idx.toString(), "--top", "3", "--format", "json",
                "--output", json.toString());
        assertEquals(0, pj.exit(), pj.err());
        assertEquals("", pj.out());
        JsonNode arr = JSON.readTree(json.toFile());
        assertEquals(FIRST, arr.size());
        for (int i = 0; i < FIRST; i++) {
            JsonNode top = arr.get(i).get("top");
            assertEquals(3, top.size());
            assertEquals(predicted[i], top.get(0).get("class").asInt());
            double sum = 0;
            for (int k = 0; k < 3; k++) {
                sum += top.get(k).get("probability").asDouble();
                if (k > 0) {
                    assertTrue(top.get(k - 1).get("probability").asDouble() >= top.get(k).get("probability").asDouble());
                }
            }
            assertTrue(sum <= 1 + 1e-12, "probabilities sum to " + sum);
        }

        // a wrong --top for this model is a flag error
        CliRun tooMany = CliRun.of("predict", run.toString(), idx.toString(), "--top", "11");
        assertTrue(tooMany.isOneLineError(2) && tooMany.err().contains("10 classes"), tooMany.err());
    }

    private static Path writeIdx(Path file, ImageDataset d, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16 + n * d.imageSize());
        b.putInt(IdxReader.IMAGES_MAGIC).putInt(n).putInt(d.height()).putInt(d.width());
        byte[] px = new byte[n * d.imageSize()];
        for (int i = 0; i < n; i++) {
            d.copyImage(i, px, i * d.imageSize());
        }
        b.put(px);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(b.array());
        }
        return DatasetFixtures.write(file, bytes.toByteArray());
    }

    private static Path writePng(Path file, ImageDataset d, int image) throws IOException {
        BufferedImage img = new BufferedImage(d.width(), d.height(), BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < d.height(); y++) {
            for (int x = 0; x < d.width(); x++) {
                img.getRaster().setSample(x, y, 0, d.pixel(image, 0, y, x));
            }
        }
        assertTrue(ImageIO.write(img, "png", file.toFile()));
        return file;
    }

    @Test
    void aRunDirectoryWithoutModelJsonIsAOneLineErrorAndNothingIsWritten(@TempDir Path tmp) throws Exception {
        Path run = Files.createDirectories(tmp.resolve("unfinished"));
        Files.writeString(run.resolve("summary.json"), "{}");
        CliRun r = CliRun.of("evaluate", run.toString());
        assertTrue(r.isOneLineError(1) && r.err().contains("model.json") && r.err().contains("not found"), r.err());
        assertFalse(Files.exists(run.resolve("evaluation")));
        CliRun p = CliRun.of("predict", run.toString(), tmp.resolve("x.png").toString());
        assertTrue(p.isOneLineError(1) && p.err().contains("model.json"), p.err());
        CliRun none = CliRun.of("evaluate", tmp.resolve("absent").toString());
        assertTrue(none.isOneLineError(1) && none.err().contains("absent"), none.err());
    }

    @Test
    void badFlagsAreFlagErrorsBeforeAnythingIsRead(@TempDir Path tmp) {
        for (String[] args : new String[][]{
                {"evaluate", tmp.toString(), "--batch", "0"},
                {"evaluate", tmp.toString(), "--dataset", "imagenet"},
                {"evaluate"},
                {"predict", tmp.toString()},
                {"predict", tmp.toString(), "a.png", "--top", "0"},
                {"predict", tmp.toString(), "a.png", "--format", "xml"},
                {"predict", tmp.toString(), "a.png", "--batch", "-1"}}) {
            CliRun r = CliRun.of(args);
            assertTrue(r.isOneLineError(2), String.join(" ", args) + ": " + r.exit() + " " + r.err());
        }
        assertFalse(Files.exists(tmp.resolve("evaluation")));
    }

    @Test
    void aDatasetThatDoesNotFitTheModelIsAOneLineErrorAndNothingIsWritten(@TempDir Path tmp) throws Exception {
        Path data6 = DatasetFixtures.idxDirectory(tmp.resolve("six"), 40, 12, 6, 6);
        Path data5 = DatasetFixtures.idxDirectory(tmp.resolve("five"), 40, 12, 5, 5);
        Path run = tmp.resolve("run");
        CliRun train = CliRun.of("train", "--dataset", "mnist", "--data", data6.toString(), "--backend", "reference",
                "--channels", "2", "--reductions", "1", "--batch", "8", "--validation", "8", "--epochs", "1",
                "--no-progress", "--out", run.toString());
        assertEquals(0, train.exit(), train.err());
        CliRun r = CliRun.of("evaluate", run.toString(), "--data", data5.toString());
        assertTrue(r.isOneLineError(1) && r.err().contains("1x5x5") && r.err().contains("1x6x6"), r.err());
        assertFalse(Files.exists(run.resolve("evaluation")));

        // the same run on its own data: the figures of its summary, and a png that does not fit is refused
        CliRun ok = CliRun.of("evaluate", run.toString(), "--data", data6.toString(), "--out", tmp.resolve("ev").toString());
        assertEquals(0, ok.exit(), ok.err());
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        JsonNode e = JSON.readTree(tmp.resolve("ev").resolve(EvaluationOutputs.JSON).toFile());
        assertEquals(summary.get("test_accuracy").asDouble(), e.get("accuracy").asDouble(), 0.0);
        assertEquals("reference", e.get("backend").asText());

        BufferedImage big = new BufferedImage(7, 6, BufferedImage.TYPE_BYTE_GRAY);
        Path png = tmp.resolve("big.png");
        ImageIO.write(big, "png", png.toFile());
        Path output = tmp.resolve("pred.csv");
        CliRun p = CliRun.of("predict", run.toString(), png.toString(), "--output", output.toString());
        assertTrue(p.isOneLineError(1) && p.err().contains("big.png") && p.err().contains("1x6x7")
                && p.err().contains("1x6x6"), p.err());
        assertFalse(Files.exists(output));
    }
}
