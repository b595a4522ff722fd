package org.spidernet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.data.DatasetFixtures;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code spidernet fade-ranks} on IDX fixtures with the reference backend: a region of 2^3 = 8
 * architectures, each trained alone; the outputs, a resume after losing some architectures giving
 * the same table, and bad flags refused before anything is written.
 */
class FadeRanksCommandTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String[] ranks(Path data, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("fade-ranks", "--dataset", "mnist", "--data", data.toString(),
                "--backend", "reference", "--stages", "3", "--cells", "2", "--channels", "2", "--train-images", "40",
                "--test-images", "12", "--batch", "8", "--resamples", "200", "--seed", Long.toString(System.nanoTime() % 1000),
                "--no-progress", "--out", out.toString()));
        // an extra flag already in the list replaces its value: picocli refuses a flag given twice
        for (int i = 0; i + 1 < extra.length; i += 2) {
            int at = a.indexOf(extra[i]);
            if (at >= 0) {
                a.set(at + 1, extra[i + 1]);
            } else {
                a.add(extra[i]);
                a.add(extra[i + 1]);
            }
        }
        return a.toArray(String[]::new);
    }

    @Test
    void ranksTheRegionAgainstItsArchitecturesAndResumes(@TempDir Path tmp) throws Exception {
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 48, 12, 6, 6);
        Path out = tmp.resolve("ranks");
        CliRun r = CliRun.of(ranks(data, out));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("region of 8 architectures, 8 trained alone: Kendall tau-b"), r.out());
        for (String f : List.of("fade-ranks.json", "region.json", "region-ranks.json", "ranks.csv", "correlation.json", "ranks.png",
                "architectures/arch-007.json")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f + " missing");
        }
        JsonNode c = MAPPER.readTree(out.resolve("correlation.json").toFile());
        assertEquals(8, c.get("architectures").asInt());
        double tau = c.get("kendall_tau").get("estimate").asDouble();
        assertTrue(tau >= -1 && tau <= 1, "tau " + tau);
        assertTrue(c.get("kendall_tau").get("low").asDouble() <= tau + 1e-12, c.toString());
        List<String> csv = Files.readAllLines(out.resolve("ranks.csv"));
        assertEquals(9, csv.size(), "header and one row per architecture");
        for (String row : csv.subList(1, csv.size())) {
            // the cells column holds DAG codes, whose commas must not split it
            assertTrue(row.matches("\\d+,\\d-\\d-\\d,(\"[0-9:, -]+\"|[0-9: -]+),[-0-9.E]+,[0-9.]+,\\d+,trained"), row);
        }

        // lose two architectures and the outputs: --resume trains those two again, to the same table
        Files.delete(out.resolve("architectures/arch-003.json"));
        Files.delete(out.resolve("architectures/arch-006.json"));
        Files.delete(out.resolve("ranks.csv"));
        CliRun again = CliRun.of("fade-ranks", "--resume", out.toString(), "--no-progress");
        assertEquals(0, again.exit(), again.err());
        assertEquals(csv, Files.readAllLines(out.resolve("ranks.csv")));
        assertEquals(c.get("kendall_tau"), MAPPER.readTree(out.resolve("correlation.json").toFile()).get("kendall_tau"));
    }

    @Test
    void badFlagsAreOneLineErrorsAndWriteNothing(@TempDir Path tmp) throws Exception {
        Path data = DatasetFixtures.idxDirectory(tmp.resolve("data"), 48, 12, 6, 6);
        String[][] bad = {{"--cells", "1"}, {"--stages", "2"}, {"--sample", "3"}, {"--reductions", "3"}, {"--arch-lr", "0"}};
        String[] expected = {"--cells must be in 2..16", "give a region of 4 architectures", "--sample must be 0 (all) or in 8..8",
                "--reductions must be in 0..2", "--arch-lr must be > 0"};
        for (int i = 0; i < bad.length; i++) {
            Path out = tmp.resolve("bad" + i);
            CliRun r = CliRun.of(ranks(data, out, bad[i]));
            assertEquals(2, r.exit(), r.err());
            assertTrue(r.err().contains(expected[i]), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertFalse(Files.exists(out), "nothing may be written for a refused run");
        }
    }
}
