package org.spidernet.graph;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A genome file that cannot be read says which file and why: the JDK's own texts were the path
 * alone for a missing file and "Input length = 3" for bytes that are not UTF-8.
 */
class GenomeFileErrorsTest {
    @TempDir
    Path dir;

    @Test
    void aMissingFileIsNotFound() {
        Path file = dir.resolve("nonexistent.json");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> GenomeJson.read(file));
        assertEquals(file + ": genome file not found", e.getMessage());
    }

    @Test
    void bytesThatAreNotUtf8AreNamedAsSuch() throws IOException {
        Path file = Files.write(dir.resolve("genome.json"), new byte[]{(byte) 0xff, (byte) 0xfe, (byte) 0xfd});
        IOException e = assertThrows(IOException.class, () -> GenomeJson.read(file));
        assertTrue(e.getMessage().startsWith(file + ": genome file is not UTF-8 text"), e.getMessage());
    }

    @Test
    void aDirectoryIsNotAGenomeFile() {
        IOException e = assertThrows(IOException.class, () -> GenomeJson.read(dir));
        assertEquals(dir + ": genome file is not a regular file", e.getMessage());
    }

    /** A nesting deeper than Jackson's limit has no location; the error still is one line naming the fault. */
    @Test
    void tooDeepANestingIsInvalidJson() {
        InvalidGenomeException e = assertThrows(InvalidGenomeException.class,
                () -> GenomeJson.read("[".repeat(5000) + "]".repeat(5000)));
        assertTrue(e.getMessage().startsWith("genome JSON is not valid JSON: "), e.getMessage());
        assertTrue(e.getMessage().lines().count() == 1, e.getMessage());
    }
}
