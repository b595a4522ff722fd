package org.spidernet.cli;

import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;

/** The {@code spidernet} command line: entry point and error policy. */
@Command(name = "spidernet", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = "SpiderNet neural-architecture-search engine.",
        subcommands = {TrainCommand.class, SearchCommand.class, ExperimentCommand.class, CorrelateCommand.class, FadeRanksCommand.class, EvaluateCommand.class, PredictCommand.class, ExportCommand.class,
                StrategiesCommand.class, CompareCommand.class, InfoCommand.class, TwinCommand.class, DagsCommand.class,
                CommandLine.HelpCommand.class})
public final class SpiderNet implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command (try: train, search, experiment, correlate, fade-ranks, evaluate, predict, export, strategies, compare, info, dags; spidernet help COMMAND shows its options)");
    }

    public static void main(String[] args) {
        // JavaCPP warns on stderr that ND4J's OpenBLAS build predates JavaCPP 1.5.14 (it runs fine,
        // see the README); route its logger to SLF4J, where LogSetup keeps only its errors.
        if (System.getProperty("org.bytedeco.javacpp.logger") == null) {
            System.setProperty("org.bytedeco.javacpp.logger", "slf4j");
        }
        int code = execute(args);
        System.out.flush();
        System.err.flush();
        // Every output is written and closed by now. halt, not exit: exit runs the native
        // libraries' static destructors (libnd4j's OpenMP pool, statically linked cudart), and one
        // of them crashed the JVM once after a completed 10-minute run (SIGSEGV in the VM thread
        // during exit), turning a finished run into exit code 134. The OS frees what they would.
        Runtime.getRuntime().halt(code);
    }

    /** The verbosity the command run asks for ({@link LoggingOptions}); normal for one without the options. */
    private static LogSetup.Verbosity verbosity(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult last = parsed;
        while (last.hasSubcommand()) {
            last = last.subcommand();
        }
        CommandLine.Model.CommandSpec mixin = last.commandSpec().mixins().get(LoggingOptions.MIXIN);
        if (mixin == null) {
            return LogSetup.Verbosity.NORMAL;
        }
        try {
            return ((LoggingOptions) mixin.userObject()).verbosity();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(last.commandSpec().commandLine(), e.getMessage());
        }
    }

    /**
     * picocli checks required parameters before it reports unknown options, so a misspelled
     * option of a command with positional parameters ({@code predict RUN --tpo 3}) took the place
     * of a parameter and came out as "missing parameter"; the misspelling is the error to report.
     */
    private static CommandLine.ParameterException unknownOptionFirst(CommandLine.ParameterException ex) {
        if (ex instanceof CommandLine.MissingParameterException) {
            List<String> unknown = ex.getCommandLine().getUnmatchedArguments().stream()
                    .filter(u -> u.startsWith("-")).toList();
            if (!unknown.isEmpty()) {
                return new CommandLine.UnmatchedArgumentException(ex.getCommandLine(), unknown);
            }
        }
        return ex;
    }

    /**
     * Runs the command line and returns the exit code: 0 on success, 2 for a bad flag or value,
     * 1 for any other failure. Every error is one line on stderr that names the problem.
     */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /**
     * The line an error is printed as: one line even when the message quotes an argument with a
     * line break in it (picocli echoes unmatched arguments as they were given).
     */
    public static String errorLine(String message) {
        return "spidernet: error: " + message.replaceAll("\\R", " ");
    }

    /** The command line with {@link #execute}'s error policy, for tests that reach into a command before running it. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new SpiderNet());
        cl.setParameterExceptionHandler((ex, a) -> {
            ex = unknownOptionFirst(ex);
            System.err.println(errorLine(ex.getMessage() + Suggestion.forUnmatched(ex)));
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof CommandLine.ParameterException || ex instanceof org.spidernet.backend.UnknownBackendException) {
                System.err.println(errorLine(ex.getMessage()));
                return 2;
            }
            String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            // "cannot write X" alone hides the reason (a full disk, a permission) that the wrapped error holds
            if (ex instanceof java.io.UncheckedIOException && ex.getCause() != null && ex.getCause().getMessage() != null
                    && !msg.contains(ex.getCause().getMessage())) {
                msg += ": " + ex.getCause().getMessage();
            }
            System.err.println(errorLine(msg));
            if (System.getenv("SPIDERNET_DEBUG") != null) {
                ex.printStackTrace();
            }
            LoggerFactory.getLogger(SpiderNet.class).debug("the failure's stack trace", ex);
            return 1;
        });
        cl.setExecutionStrategy(parsed -> {
            LogSetup.console(verbosity(parsed));
            return new CommandLine.RunLast().execute(parsed);
        });
        return cl;
    }
}
