package org.spidernet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** picocli's conventions on every command: help, help COMMAND, suggestions for typos, --version from the build. */
class CommandLineConventionsTest {

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    /** Each command with one option its help must list. */
    @ParameterizedTest
    @CsvSource({"train,--channels", "search,--resume", "strategies,--help", "compare,--help", "info,--help", "twin,--checkpoint",
            "evaluate,--dataset", "predict,--top", "export,--onnx", "experiment,--resume",
            "dags,--max-vertices"})
    void helpOnEveryCommandListsItsOptionsAndSucceeds(String command, String option) {
        for (String flag : new String[]{"--help", "-h"}) {
            CliRun r = run(command, flag);
            assertEquals(0, r.exit(), command + " " + flag + ": " + r.err());
            assertTrue(r.out().contains("Usage: spidernet " + command) && r.out().contains(option), r.out());
            assertEquals("", r.err(), "help printed warnings (a '%' picocli took for a format?)");
        }
        CliRun viaHelp = run("help", command);
        assertEquals(0, viaHelp.exit(), viaHelp.err());
        assertEquals(run(command, "--help").out(), viaHelp.out(), "help " + command + " prints the same usage");
    }

    @Test
    void helpAloneListsTheCommands() {
        for (String[] args : new String[][]{{"--help"}, {"help"}}) {
            CliRun r = run(args);
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().contains("train") && r.out().contains("search") && r.out().contains("compare")
                    && r.out().contains("evaluate") && r.out().contains("predict") && r.out().contains("export"), r.out());
        }
    }

    @ParameterizedTest
    @CsvSource({"train,--chanels,--channels", "train,--cahnnels,--channels", "search,--iteration,--iterations",
            "search,--final-epoch=3,--final-epochs", "compare,--hlep,--help", "experiment,--reusme,--resume",
            "evaluate,--datset,--dataset", "evaluate,--bakcend,--backend", "predict,--tpo,--top", "predict,--fromat,--format",
            "export,--onxx,--onnx", "train,--quite,--quiet", "search,--verbos,--verbose",
            "dags,--max-vertice,--max-vertices"})
    void aMisspelledOptionIsAnErrorThatSuggestsTheRightOne(String command, String typo, String meant) {
        CliRun r = run(command, typo, "3");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().startsWith("spidernet: error: ") && r.err().contains("did you mean " + meant + "?"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"serch", "trian", "inof", "evalute", "predcit", "exprot"})
    void aMisspelledCommandIsAnErrorThatSuggestsTheRightOne(String typo) {
        CliRun r = run(typo);
        assertNotEquals(0, r.exit());
        String meant = switch (typo) {
            case "serch" -> "search";
            case "trian" -> "train";
            case "evalute" -> "evaluate";
            case "predcit" -> "predict";
            case "exprot" -> "export";
            default -> "info";
        };
        assertTrue(r.err().startsWith("spidernet: error: ") && r.err().contains("did you mean " + meant + "?"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void nothingNearIsNotGuessed() {
        CliRun r = run("train", "--zzzzzzzz");
        assertEquals(2, r.exit());
        assertTrue(!r.err().contains("did you mean"), r.err());
    }

    @Test
    void versionIsThePomsVersion() throws Exception {
        // read independently of the build's filtered resource: the pom itself
        String pomVersion = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile())
                .getDocumentElement().getElementsByTagName("version").item(0).getTextContent().trim();
        assertTrue(pomVersion.matches("\\d+\\.\\d+\\.\\d+.*"), pomVersion);
        for (String[] args : new String[][]{{"--version"}, {"-V"}, {"search", "--version"}}) {
            CliRun r = run(args);
            assertEquals(0, r.exit(), r.err());
            assertEquals("spidernet " + pomVersion, r.out().strip());
        }
    }
}
