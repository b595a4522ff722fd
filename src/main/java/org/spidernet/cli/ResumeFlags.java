package org.spidernet.cli;

import picocli.CommandLine;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What {@code --resume DIR} may be given with: flags that change what is shown, not what is
 * computed. A resumed run takes every other setting from its checkpoint.
 */
final class ResumeFlags {
    static final Set<String> ALLOWED = Set.of("--resume", "--no-progress", "--quiet", "--verbose");

    private ResumeFlags() {
    }

    /** Refuses, as a flag error, every flag given beside {@code --resume} that is not allowed there. */
    static void check(CommandLine.Model.CommandSpec spec, Path resume) {
        List<String> given = spec.commandLine().getParseResult().matchedOptions().stream()
                .map(CommandLine.Model.OptionSpec::longestName).filter(n -> !ALLOWED.contains(n)).distinct().toList();
        if (!given.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--resume continues with the settings saved in "
                    + resume + "; " + String.join(", ", given)
                    + " cannot be given with it (only --no-progress, --quiet and --verbose can)");
        }
    }
}
