package org.spidernet.spark;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which jars a driver ships to a cluster's executors when spark.jars is not given. */
class ShipDirectoryTest {
    private static final String MASTER = "spark://127.0.0.1:7077";

    @AfterEach
    void clear() {
        System.clearProperty(SparkEvaluation.SHIP_PROPERTY);
    }

    @Test
    void shipsEveryJarOfTheDirectoryThePropertyNames(@TempDir Path dir) throws Exception {
        for (String f : List.of("spidernet-0.1.0-SNAPSHOT.jar", "picocli-4.7.7.jar", "README.txt", "spidernet-spark-0.1.0-SNAPSHOT.jar")) {
            Files.writeString(dir.resolve(f), "");
        }
        System.setProperty(SparkEvaluation.SHIP_PROPERTY, dir.toString());
        assertEquals(List.of(dir.resolve("picocli-4.7.7.jar").toString(), dir.resolve("spidernet-0.1.0-SNAPSHOT.jar").toString(),
                dir.resolve("spidernet-spark-0.1.0-SNAPSHOT.jar").toString()), SparkEvaluation.shipJars(MASTER));
    }

    @Test
    void aShipDirectoryWithoutTheEngineIsAOneLineError(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("picocli-4.7.7.jar"), "");
        System.setProperty(SparkEvaluation.SHIP_PROPERTY, dir.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkEvaluation.shipJars(MASTER));
        assertTrue(e.getMessage().startsWith("--spark " + MASTER + ": the ship directory "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void aMissingShipDirectorySaysHowToMakeOne(@TempDir Path dir) {
        System.setProperty(SparkEvaluation.SHIP_PROPERTY, dir.resolve("absent").toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkEvaluation.shipJars(MASTER));
        assertTrue(e.getMessage().contains("scripts/spidernet-spark"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void withoutThePropertyTheShipDirectoryIsBesideTheModulesClasses() {
        // the tests run from target/classes, so the module's build directory holds it
        Path expected = Path.of("target/ship").toAbsolutePath();
        if (Files.isDirectory(expected)) {
            assertEquals(expected, SparkEvaluation.shipDirectory().toAbsolutePath());
        } else {
            assertEquals(null, SparkEvaluation.shipDirectory());
        }
    }
}
