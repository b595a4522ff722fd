package org.spidernet.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spidernet.data.DatasetFixtures;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The review of what the command line prints when its input is wrong, kept as a table: for each
 * bad invocation, the exit code (2: the command line itself is wrong; 1: a file or the machine
 * is), one line on stderr, the thing it names (file, flag, value) and the problem, and none of
 * the texts that betray a bare exception (a class name, Jackson's source excerpt, a charset
 * decoder's "Input length").
 */
class ErrorMessagesTest {
    private static final Pattern BARE = Pattern.compile(
            "Exception|java\\.|\\bnull\\b|REDACTED|\\[Source|Input length|StreamReadFeature");

    @TempDir
    static Path tmp;

    @BeforeAll
    static void files() throws Exception {
        DatasetFixtures.idxDirectory(tmp.resolve("data"), 24, 8, 6, 6);
        Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(Files.createDirectories(tmp.resolve("notrun")).resolve("notes.txt"), "x");
        Files.writeString(tmp.resolve("cut.json"), "{");
        Files.write(tmp.resolve("binary.json"), new byte[]{(byte) 0xff, (byte) 0xfe, 0x00});
        // JavaCPP prints a version warning on stderr when this JVM first loads ND4J's natives (the
        // test classpath's mix; the packaged CLI's does not): loaded here, outside the table
        CliRun.of("info");
    }

    /** {@code args} split on spaces, with {@code @} standing for the temporary directory. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            train --genome @/missing.json                | 1 | @/missing.json: genome file not found
            train --genome @/cut.json                    | 1 | @/cut.json: genome JSON is not valid JSON: Unexpected end-of-input
            train --genome @/binary.json                 | 1 | @/binary.json: genome file is not UTF-8 text
            train --dataset nosuch                       | 2 | unknown dataset 'nosuch'
            train --dataset mnist --data @/missing       | 1 | @/missing: MNIST directory not found
            train --dataset mnist --data @/empty         | 1 | @/empty: MNIST files missing from this directory
            train --epochs 0                             | 2 | epochs must be >= 1, got 0
            train --channels abc                         | 2 | Invalid value for option '--channels': 'abc' is not an int
            train --channels 0                           | 2 | channels must be in 1..16384, got 0
            train --batch 1                              | 2 | batch must be >= 2
            train --backend nosuch                       | 2 | unknown backend 'nosuch' (known: auto,
            train --resume @/missing                     | 2 | --resume @/missing: no such directory
            train --resume @/notrun                      | 2 | --resume @/notrun: not a train run (no checkpoint/state.json)
            train --out @/notrun --data @/data --dataset mnist --validation 4 --batch 8 | 2 | --out @/notrun already exists and is not an empty directory
            train --drop-path 2                          | 2 | drop-path probability must be in [0, 1), got 2.0
            train --chanels 3                            | 2 | did you mean --channels?
            search --strategy nosuch                     | 2 | --strategy: unknown search strategy 'nosuch'
            search --metrics nosuch                      | 2 | --metrics: unknown metric 'nosuch'
            search --max-time abc                        | 2 | --max-time: 'abc' is not a duration
            search --memory 0                            | 2 | --memory: memory size must be positive, got '0'
            search --epochs-per-iteration 0              | 2 | --epochs-per-iteration must be >= 1, got 0
            search --strategy autospace --option cells=1 | 2 | autospace option cells must be in 2..16, got 1
            search --strategy autospace --option population=3 | 2 | autospace option population must be >= cells and >= space-cells, got 3
            search --strategy autospace --option target=huge | 2 | autospace option target
            search --resume @/missing                    | 2 | --resume @/missing: no such directory
            search --resume @/empty                      | 2 | --resume @/empty: not a search run (no checkpoint/state.json)
            search --resume @/notrun --iterations 3      | 2 | --iterations cannot be given with it (only --no-progress, --quiet, --verbose, --spark and --spark-conf can)
            search --out @/notrun --data @/data --dataset mnist --validation 4 --batch 8 | 2 | --out @/notrun already exists and is not an empty directory
            search --spark-conf a=b --out @/nospark --data @/data --dataset mnist --validation 4 --batch 8 | 2 | --spark-conf needs --spark MASTER
            search --spark local[2] --out @/nospark --data @/data --dataset mnist --validation 4 --batch 8 | 2 | --spark: the spark module is not on the class path; run scripts/spidernet-spark
            evaluate @/missing                           | 1 | @/missing: run directory not found
            evaluate @/notrun                            | 1 | @/notrun/model.json: not found
            predict @/missing @/cut.json                 | 1 | @/missing: run directory not found
            predict @/notrun @/cut.json --top 0          | 2 | --top must be >= 1, got 0
            export @/notrun --onnx @/x.onnx              | 1 | @/notrun/model.json: not found
            compare @/notrun                             | 2 | compare needs at least two run directories (got 1)
            compare @/notrun @/empty                     | 1 | @/notrun/summary.json: not found
            """)
    void aBadInvocationIsOneLineNamingTheThingAndTheProblem(String args, int exit, String expected) {
        String[] argv = Arrays.stream(args.trim().split(" +")).map(a -> a.replace("@", tmp.toString())).toArray(String[]::new);
        CliRun r = CliRun.of(argv);
        assertTrue(r.isOneLineError(exit), "exit " + r.exit() + " (want " + exit + "): " + r.err());
        assertTrue(r.err().contains(expected.replace("@", tmp.toString())), r.err());
        assertFalse(BARE.matcher(r.err()).find(), "a bare exception's text: " + r.err());
        assertEquals("", r.out(), "a refused command printed results");
        assertFalse(Files.exists(tmp.resolve("nospark")), "a refused command left a run directory");
    }
}
