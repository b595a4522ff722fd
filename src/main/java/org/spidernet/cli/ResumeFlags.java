package org.spidernet.cli;

import org.spidernet.io.OutputDirectory;
import org.spidernet.io.RunDirectoryLock;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code --resume DIR} may be given with: flags that change what is shown or where work
 * runs, not what is computed. A resumed run takes every other setting from its checkpoint, so a directory whose run
 * stopped before its first checkpoint has nothing to resume.
 */
final class ResumeFlags {
    /** In the order the refusal names them; a command names those it has. */
    static final List<String> ALLOWED = List.of("--resume", "--no-progress", "--quiet", "--verbose",
            DistributionOptions.SPARK, DistributionOptions.SPARK_CONF);

    private ResumeFlags() {
    }

    /**
     * Refuses, as a flag error, every flag given beside {@code --resume} that is not allowed there,
     * a missing directory, one another run holds, and one left before its first checkpoint (the same command with {@code --out}
     * starts that run again in it).
     */
    static void check(CommandLine.Model.CommandSpec spec, Path resume) throws java.io.IOException {
        List<String> given = spec.commandLine().getParseResult().matchedOptions().stream()
                .map(CommandLine.Model.OptionSpec::longestName).filter(n -> !ALLOWED.contains(n)).distinct().toList();
        if (!given.isEmpty()) {
            List<String> allowed = ALLOWED.stream().filter(n -> !n.equals("--resume") && spec.findOption(n) != null).toList();
            String can = allowed.size() == 1 ? allowed.get(0) : String.join(", ", allowed.subList(0, allowed.size() - 1))
                    + " and " + allowed.get(allowed.size() - 1);
            throw new CommandLine.ParameterException(spec.commandLine(), "--resume continues with the settings saved in "
                    + resume + "; " + String.join(", ", given) + " cannot be given with it (only " + can + " can)");
        }
        if (!java.nio.file.Files.isDirectory(resume)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--resume " + resume + ": no such directory");
        }
        RunDirectoryLock.checkNotInUse(resume); // before reading a checkpoint the holder may be replacing
        if (OutputDirectory.isStoppedBeforeFirstCheckpoint(resume)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--resume " + resume + ": the run stopped before its "
                    + "first checkpoint, so there is nothing to resume; start it again with the same command and --out "
                    + resume + " (its partial files are replaced)");
        }
    }
}
