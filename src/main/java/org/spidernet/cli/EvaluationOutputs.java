package org.spidernet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.spidernet.deploy.ConfusionMatrix;
import org.spidernet.deploy.EvaluationReport;
import org.spidernet.io.AtomicFiles;
import org.spidernet.io.ConfusionPlot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The files {@code spidernet evaluate} writes: {@code evaluation.json} (the figures, per-class
 * accuracy and the confusion matrix), {@code per-class.csv}, {@code confusion.csv},
 * {@code predictions.csv} (every image's true and predicted class, so predictions can be checked
 * image by image) and {@code confusion.png}. Each is written atomically.
 */
final class EvaluationOutputs {
    static final String JSON = "evaluation.json";
    static final String PER_CLASS = "per-class.csv";
    static final String CONFUSION = "confusion.csv";
    static final String PREDICTIONS = "predictions.csv";
    static final String PLOT = "confusion.png";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private EvaluationOutputs() {
    }

    static void write(Path dir, EvaluationReport r, Path runDir, int batch) throws IOException {
        ConfusionMatrix cm = r.confusion();
        List<String> names = r.classNames();
        int classes = cm.classes();

        ObjectNode root = MAPPER.createObjectNode();
        root.put("run_dir", runDir.toString());
        root.put("dataset", r.dataset());
        root.put("split", "test");
        root.put("backend", r.backend());
        root.put("batch", batch);
        root.put("count", r.count());
        root.put("correct", cm.correct());
        root.put("accuracy", r.accuracy());
        root.put("loss", r.loss());
        ArrayNode perClass = root.putArray("per_class");
        for (int c = 0; c < classes; c++) {
            ObjectNode o = perClass.addObject();
            o.put("class", c);
            o.put("name", names.get(c));
            o.put("images", cm.classCount(c));
            o.put("correct", cm.classCorrect(c));
            double acc = cm.classAccuracy(c);
            if (Double.isNaN(acc)) {
                o.putNull("accuracy"); // a class with no test images has no accuracy
            } else {
                o.put("accuracy", acc);
            }
        }
        ArrayNode matrix = root.putArray("confusion");
        for (int t = 0; t < classes; t++) {
            ArrayNode row = matrix.addArray();
            for (int p = 0; p < classes; p++) {
                row.add(cm.count(t, p));
            }
        }
        root.put("confusion_layout", "[true class][predicted class]");
        root.put("predictions_file", PREDICTIONS);

        StringBuilder perClassCsv = new StringBuilder("class,name,images,correct,accuracy\n");
        for (int c = 0; c < classes; c++) {
            double acc = cm.classAccuracy(c);
            perClassCsv.append(c).append(',').append(CsvField.of(names.get(c))).append(',').append(cm.classCount(c))
                    .append(',').append(cm.classCorrect(c)).append(',')
                    .append(Double.isNaN(acc) ? "" : String.format(Locale.ROOT, "%.6f", acc)).append('\n');
        }

        StringBuilder confusionCsv = new StringBuilder("true\\predicted");
        for (String n : names) {
            confusionCsv.append(',').append(CsvField.of(n));
        }
        confusionCsv.append('\n');
        for (int t = 0; t < classes; t++) {
            confusionCsv.append(CsvField.of(names.get(t)));
            for (int p = 0; p < classes; p++) {
                confusionCsv.append(',').append(cm.count(t, p));
            }
            confusionCsv.append('\n');
        }

        int[] labels = r.labels();
        int[] predicted = r.predicted();
        StringBuilder predictionsCsv = new StringBuilder("index,label,label_name,predicted,predicted_name\n");
        for (int i = 0; i < labels.length; i++) {
            predictionsCsv.append(i).append(',').append(labels[i]).append(',').append(CsvField.of(names.get(labels[i])))
                    .append(',').append(predicted[i]).append(',').append(CsvField.of(names.get(predicted[i]))).append('\n');
        }

        AtomicFiles.writeString(dir.resolve(PER_CLASS), perClassCsv.toString());
        AtomicFiles.writeString(dir.resolve(CONFUSION), confusionCsv.toString());
        AtomicFiles.writeString(dir.resolve(PREDICTIONS), predictionsCsv.toString());
        ConfusionPlot.write(dir.resolve(PLOT), String.format(Locale.ROOT, "%s test, accuracy %.4f (%d images)",
                r.dataset(), r.accuracy(), r.count()), cm.toArray(), names);
        // last, so its presence means the others are there
        AtomicFiles.writeString(dir.resolve(JSON), MAPPER.writeValueAsString(root));
    }
}
