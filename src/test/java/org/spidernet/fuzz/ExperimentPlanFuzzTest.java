package org.spidernet.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.backend.BackendProvider;
import org.spidernet.experiment.ExperimentPlan;

import java.nio.file.Path;

/**
 * The experiment plan ({@code spidernet experiment PLAN}): read and checked, then every pair's
 * search configuration resolved as the command does on a CPU machine. Every refusal must name the
 * plan file and the field.
 */
class ExperimentPlanFuzzTest {
    static final BackendProvider.Capabilities CPU = new BackendProvider.Capabilities(false, 0);

    @TempDir
    Path tmp;

    @FuzzTest(maxDuration = FuzzTargets.MAX_DURATION)
    void plan(byte[] bytes) {
        Path file = ParserContract.write(tmp, "plan.json", bytes);
        ParserContract.check(file, () -> ExperimentPlan.read(file).configs(file, CPU));
    }
}
