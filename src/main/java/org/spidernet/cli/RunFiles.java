package org.spidernet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.spidernet.io.AtomicFiles;
import org.spidernet.train.EpochMetrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The per-run output files that are not the event log: metrics CSV and the git commit lookup. */
final class RunFiles {
    static final String METRICS_HEADER = "epoch,learning_rate,train_loss,train_accuracy,validation_loss,"
            + "validation_accuracy,open_gates,ops_deleted,seconds,images_per_second\n";
    private final Path dir;
    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final StringBuilder metrics = new StringBuilder(METRICS_HEADER);

    RunFiles(Path dir) {
        this.dir = dir;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    /** Adds a row and rewrites {@code metrics.csv} atomically (it is small). */
    void appendMetrics(EpochMetrics m) {
        metrics.append(row(m));
        writeMetrics();
    }

    /**
     * Rewrites {@code metrics.csv} with exactly these rows, a resumed run's history: rows the
     * killed run wrote for an epoch its checkpoint does not hold are dropped, as that epoch runs again.
     */
    void restoreMetrics(List<EpochMetrics> history) {
        metrics.setLength(0);
        metrics.append(METRICS_HEADER);
        history.forEach(m -> metrics.append(row(m)));
        writeMetrics();
    }

    private static String row(EpochMetrics m) {
        return String.format(Locale.ROOT, "%d,%.6g,%.6f,%.6f,%.6f,%.6f,%d,%d,%.3f,%.1f%n", m.epoch(),
                m.learningRate(), m.trainLoss(), m.trainAccuracy(), m.validationLoss(), m.validationAccuracy(),
                m.openGates(), m.pruned(), m.seconds(), m.imagesPerSecond());
    }

    private void writeMetrics() {
        try {
            AtomicFiles.writeString(dir.resolve("metrics.csv"), metrics.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics.csv", e);
        }
    }

    /** The commit of the working directory's repository, when git and a repository are there. */
    static Optional<String> gitCommit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 && out.matches("[0-9a-f]{40}") ? Optional.of(out) : Optional.empty();
        } catch (IOException | InterruptedException e) {
            return Optional.empty();
        }
    }
}
