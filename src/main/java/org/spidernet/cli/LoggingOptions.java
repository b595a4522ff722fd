package org.spidernet.cli;

import picocli.CommandLine.Option;

/**
 * {@code --quiet} and {@code --verbose}, mixed into every command under the name
 * {@value #MIXIN}; {@link SpiderNet#execute} reads them before the command runs and sets up
 * {@link LogSetup} accordingly.
 */
final class LoggingOptions {
    static final String MIXIN = "logging";

    @Option(names = "--quiet", description = "Log only warnings and errors on stderr, and draw no progress bar.")
    boolean quiet;

    @Option(names = "--verbose", description = "Log debug detail on stderr and in the run's log file.")
    boolean verbose;

    LogSetup.Verbosity verbosity() {
        if (quiet && verbose) {
            throw new IllegalArgumentException("--quiet and --verbose cannot be given together");
        }
        return quiet ? LogSetup.Verbosity.QUIET : verbose ? LogSetup.Verbosity.VERBOSE : LogSetup.Verbosity.NORMAL;
    }
}
