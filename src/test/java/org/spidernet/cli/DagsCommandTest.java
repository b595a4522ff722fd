package org.spidernet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spidernet.graph.dag.Dag;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code spidernet dags}: the library's counts per vertex count, its codes with --list, and bad bounds. */
class DagsCommandTest {

    /** The table's rows as cells, header included. */
    private static List<List<String>> rows(String out) {
        return out.lines().takeWhile(l -> !l.isBlank()).map(l -> List.of(l.trim().split("\\s+"))).toList();
    }

    @Test
    void printsFadesCountsByDefault() {
        CliRun r = CliRun.of("dags");
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of(List.of("vertices", "DAGs"), List.of("3", "6"), List.of("4", "31"), List.of("5", "302"),
                List.of("6", "5984"), List.of("total", "6323")), rows(r.out()));
        assertEquals("", r.err());
    }

    @Test
    void listPrintsEveryCodeOfTheChosenRange() {
        CliRun r = CliRun.of("dags", "--min-vertices", "1", "--max-vertices", "3", "--list");
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of(List.of("vertices", "DAGs"), List.of("1", "1"), List.of("2", "2"), List.of("3", "6"),
                List.of("total", "9")), rows(r.out()));
        List<String> codes = r.out().lines().dropWhile(l -> !l.isBlank()).skip(1).toList();
        assertEquals(List.of("1:", "2:", "2:0-1", "3:", "3:1-2", "3:0-1,0-2", "3:0-1,1-2", "3:0-2,1-2", "3:0-1,0-2,1-2"), codes);
        codes.forEach(c -> assertEquals(c, Dag.parse(c).canonical().code(), "each listed code is canonical"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--max-vertices 7|--max-vertices must be 1 to 6, got 7",
            "--min-vertices 0|--min-vertices must be 1 to 6, got 0",
            "--min-vertices 5 --max-vertices 4|--min-vertices 5 is above --max-vertices 4",
            "--min-vertices 4 --max-vertices 3 --list|--min-vertices 4 is above --max-vertices 3"})
    void badBoundsAreAOneLineErrorNamingTheFlag(String args, String message) {
        String[] words = ("dags " + args).split(" ");
        CliRun r = CliRun.of(words);
        assertTrue(r.isOneLineError(2), r.err());
        assertEquals("spidernet: error: " + message, r.err().strip());
        assertEquals("", r.out());
    }

    @Test
    void aNonNumberIsRefusedByPicocli() {
        CliRun r = CliRun.of("dags", "--max-vertices", "six");
        assertTrue(r.isOneLineError(2), r.err());
        assertTrue(r.err().contains("--max-vertices"), r.err());
    }
}
