package org.spidernet.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/** One in-process run of the command line, with what it printed on stdout and stderr. */
record CliRun(int exit, String out, String err) {

    static CliRun of(String... args) {
        PrintStream savedErr = System.err;
        PrintStream savedOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        System.setOut(new PrintStream(out, true));
        try {
            return new CliRun(SpiderNet.execute(args), out.toString(), err.toString());
        } finally {
            System.setErr(savedErr);
            System.setOut(savedOut);
        }
    }

    /** A failure: the exit code and exactly one line on stderr, "spidernet: error: ...". */
    boolean isOneLineError(int code) {
        return exit == code && err.startsWith("spidernet: error: ") && err.strip().lines().count() == 1;
    }
}
