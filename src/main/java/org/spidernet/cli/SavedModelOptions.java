package org.spidernet.cli;

import org.spidernet.backend.BackendProvider;
import org.spidernet.backend.Backends;
import org.spidernet.deploy.ModelManifest;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --backend} and {@code --batch} of the commands that run a saved model, each defaulting
 * to the run's own (from {@code model.json}), so the run's figures reproduce.
 */
final class SavedModelOptions {
    @Option(names = "--backend", paramLabel = "B", description = "auto, cpu, reference, cuda or cuda-emulated (default: the run's).")
    String backend;

    @Option(names = "--batch", paramLabel = "N", description = "Images per forward pass (default: the run's).")
    Integer batch;

    /** Refuses a batch below 1 as a flag error. */
    void check(CommandLine.Model.CommandSpec spec) {
        if (batch != null && batch < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--batch must be >= 1, got " + batch);
        }
    }

    BackendProvider provider(ModelManifest m) {
        return Backends.resolve(backend != null ? backend : m.backend());
    }

    int batch(ModelManifest m) {
        return batch != null ? batch : m.batch();
    }
}
