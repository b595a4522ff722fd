package org.spidernet.spark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spidernet.jobs.EvaluationServices;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which masters {@code --spark} takes; a malformed one is a one-line error naming the flag and the value. */
class MasterTest {

    @ParameterizedTest
    @ValueSource(strings = {"local", "local[1]", "local[4]", "local[*]", "local[2,3]", "local[*,2]", "spark://127.0.0.1:7077",
            "spark://host-a.example.org:7077,host-b:7078"})
    void acceptsSparkMasters(String master) {
        assertDoesNotThrow(() -> SparkEvaluation.checkMaster(master));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "local[0]", "local[two]", "local[2", "local[2,0]", "locale", "spark://", "spark://host",
            "spark://host:0", "spark://host:99999", "spark://host:7077,", "http://host:7077", "yarn", "local[2]\nspark://x:1"})
    void rejectsMalformedMastersInOneLine(String master) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkEvaluation.checkMaster(master));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().startsWith("--spark: "), e.getMessage());
        if (!master.isEmpty()) {
            assertTrue(e.getMessage().contains("'" + master.strip().replaceAll("\\s+", " ") + "'"), e.getMessage());
        }
    }

    @Test
    void theProviderIsFoundByNameAndChecksTheMasterBeforeStartingSpark() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EvaluationServices.open("spark", "spark:/127.0.0.1:7077", Map.of()));
        assertEquals("--spark: 'spark:/127.0.0.1:7077' is not a Spark master (expected local[N], local[N,F] or spark://HOST:PORT)",
                e.getMessage());
    }
}
