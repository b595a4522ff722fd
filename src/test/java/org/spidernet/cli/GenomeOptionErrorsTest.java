package org.spidernet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code train --genome FILE} with a file that cannot be read: one line naming the file and the
 * fault, where it printed "spidernet: error: /nonexistent" and "spidernet: error: Input length = 3".
 */
class GenomeOptionErrorsTest {
    @TempDir
    Path dir;

    @Test
    void aMissingGenomeFileIsNotFound() {
        Path file = dir.resolve("nonexistent.json");
        CliRun r = CliRun.of("train", "--genome", file.toString(), "--data", dir.resolve("no-data").toString(),
                "--out", dir.resolve("out").toString(), "--no-progress");
        assertTrue(r.isOneLineError(1), r.err());
        assertEquals("spidernet: error: " + file + ": genome file not found", r.err().strip());
    }

    @Test
    void aGenomeFileOfRandomBytesIsNotUtf8() throws IOException {
        Path file = Files.write(dir.resolve("genome.json"), new byte[]{(byte) 0xe2, (byte) 0x28, (byte) 0xa1, 0x7b});
        CliRun r = CliRun.of("train", "--genome", file.toString(), "--data", dir.resolve("no-data").toString(),
                "--out", dir.resolve("out").toString(), "--no-progress");
        assertTrue(r.isOneLineError(1), r.err());
        assertTrue(r.err().startsWith("spidernet: error: " + file + ": genome file is not UTF-8 text"), r.err());
    }
}
