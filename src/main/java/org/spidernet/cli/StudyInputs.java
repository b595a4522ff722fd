package org.spidernet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.spidernet.data.DatasetRegistry;
import org.spidernet.data.DatasetSplit;
import org.spidernet.data.ImageDataset;
import org.spidernet.graph.InputSpec;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the study commands ({@code correlate}, {@code fade-ranks}) read before anything is written:
 * the settings a run saved, for {@code --resume}, and the first N training and test images. Every
 * fault is a usage error naming the flag and the problem.
 */
final class StudyInputs {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The train and test subsets a study trains and tests on. */
    record Data(ImageDataset train, ImageDataset test) {
        InputSpec input() {
            return new InputSpec(train.channels(), train.height(), train.width(), train.numClasses());
        }
    }

    private StudyInputs() {
    }

    /**
     * The settings saved as {@code file} in the run directory {@code resume} (after the checks every
     * {@code --resume} makes); {@code command} names the study in the error for a directory of another kind.
     */
    static <T> T savedSettings(CommandLine.Model.CommandSpec spec, Path resume, String file, Class<T> type, String command)
            throws IOException {
        ResumeFlags.check(spec, resume);
        Path f = resume.resolve(file);
        if (!Files.isRegularFile(f)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--resume " + resume + ": no " + file
                    + " there (not a " + command + " run directory)");
        }
        try {
            return MAPPER.readValue(f.toFile(), type);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--resume " + resume + ": " + file + " is unreadable ("
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")");
        }
    }

    /** The first {@code trainImages} training and (at most) {@code testImages} test images of the dataset. */
    static Data load(CommandLine.Model.CommandSpec spec, String dataset, String data, int trainImages, int testImages)
            throws IOException {
        DatasetSplit split;
        try {
            split = DatasetRegistry.load(DatasetRegistry.canonicalName(dataset), data != null ? Path.of(data) : null);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (split.train().count() < trainImages) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--train-images " + trainImages + ": " + dataset
                    + " has only " + split.train().count() + " training images");
        }
        DatasetSplit cut = split.first(trainImages, testImages);
        return new Data(cut.train(), cut.test());
    }

    /** A flag's value, or the default where it was not given. */
    static int or(Integer given, int fallback) {
        return given != null ? given : fallback;
    }
}
