package org.spidernet.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * The command line's logging, set up in code (the jar ships no logback.xml, which would take
 * over the configuration of programs using the engine as a library): messages on stderr, bare
 * as the engine has always printed them, at the level {@code --quiet}/{@code --verbose} chose;
 * and, while a run writes its directory, every message with time and level in the run's
 * {@value #FILE}. Third-party libraries log warnings only (JavaCPP's note about ND4J's OpenBLAS
 * build, harmless and explained in the README, not even that). When another SLF4J binding is on
 * the class path, it is left alone.
 */
final class LogSetup {
    static final String FILE = org.spidernet.io.OutputDirectory.LOG;
    private static final String FILE_APPENDER = "run-file";

    enum Verbosity {
        QUIET(Level.WARN), NORMAL(Level.INFO), VERBOSE(Level.DEBUG);

        final Level level;

        Verbosity(Level level) {
            this.level = level;
        }
    }

    private LogSetup() {
    }

    private static LoggerContext context() {
        return LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx ? ctx : null;
    }

    /** Routes the engine's messages at {@code v}'s level and above to the current stderr. */
    static void console(Verbosity v) {
        LoggerContext ctx = context();
        if (ctx == null) {
            return;
        }
        ctx.reset();
        PatternLayoutEncoder enc = encoder(ctx, "%msg%n");
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(ctx);
        console.setName("stderr");
        console.setTarget("System.err");
        console.setEncoder(enc);
        ThresholdFilter threshold = new ThresholdFilter();
        threshold.setLevel(v.level.toString());
        threshold.start();
        console.addFilter(threshold);
        console.start();
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(console);
        // the engine's own messages go to the file at debug level whatever the console shows
        ctx.getLogger("org.spidernet").setLevel(Level.DEBUG);
        ctx.getLogger("org.bytedeco").setLevel(Level.ERROR);
    }

    /**
     * Adds {@code dir/spidernet.log} (appended to, so a resumed run continues it) until the
     * returned handle is closed. It takes what the calling thread logs: runs side by side in one
     * process (an experiment's pairs on {@code --spark local[N]}) each keep their own file.
     */
    static AutoCloseable runFile(Path dir) {
        LoggerContext ctx = context();
        if (ctx == null) {
            return () -> {
            };
        }
        FileAppender<ILoggingEvent> file = new FileAppender<>();
        file.setContext(ctx);
        file.setName(FILE_APPENDER);
        file.setFile(dir.resolve(FILE).toString());
        file.setAppend(true);
        file.setEncoder(encoder(ctx, "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0} - %msg%n"));
        String owner = Thread.currentThread().getName();
        file.addFilter(new Filter<>() {
            @Override
            public FilterReply decide(ILoggingEvent event) {
                return owner.equals(event.getThreadName()) ? FilterReply.NEUTRAL : FilterReply.DENY;
            }
        });
        file.start();
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(file);
        return () -> {
            root.detachAppender(file);
            file.stop();
        };
    }

    private static PatternLayoutEncoder encoder(LoggerContext ctx, String pattern) {
        PatternLayoutEncoder enc = new PatternLayoutEncoder();
        enc.setContext(ctx);
        enc.setPattern(pattern);
        enc.start();
        return enc;
    }
}
