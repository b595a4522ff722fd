package org.spidernet.cli;

import org.spidernet.io.OutputDirectory;
import org.spidernet.io.RunDirectoryLock;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code --out} accepts for a new run of any command: a directory {@link OutputDirectory}
 * finds available. One a running run holds is named as such (with its holder), not as a full
 * directory.
 */
final class NewRunDirectory {
    private NewRunDirectory() {
    }

    /** @param run what {@code --resume} would continue there, e.g. "a search" */
    static void check(CommandLine.Model.CommandSpec spec, Path outDir, String run) throws IOException {
        if (Files.isDirectory(outDir)) {
            RunDirectoryLock.checkNotInUse(outDir);
        }
        if (!OutputDirectory.isAvailable(outDir)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--out " + outDir
                    + " already exists and is not an empty directory (use --resume to continue " + run + ")");
        }
    }
}
