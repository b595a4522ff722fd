package org.spidernet.experiment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.backend.BackendProvider;
import org.spidernet.search.SearchConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExperimentPlanTest {
    private static final BackendProvider.Capabilities CPU = new BackendProvider.Capabilities(false, 0);

    @TempDir
    Path tmp;

    private Path write(String json) throws Exception {
        return Files.writeString(tmp.resolve("plan.json"), json);
    }

    @Test
    void readsEveryFieldAndResolvesEachPairsConfiguration() throws Exception {
        Path f = write("""
                {"strategies": ["spidernet", {"name": "darts", "label": "gdas", "options": {"mixing": "gumbel", "layers": 3}}],
                 "seeds": [7, 3], "dataset": "mnist", "data": "rel/dir",
                 "budget": {"images": 5000, "seconds": 90.5}, "memory": 123456789,
                 "search": {"channels": 4, "iterations": 2, "lr": 0.02, "metrics": ["synflow", "lrc"], "lr-decay": "epoch",
                            "backend": "reference"}}
                """);
        ExperimentPlan p = ExperimentPlan.read(f);
        assertEquals(List.of(7L, 3L), p.seeds());
        assertEquals(Path.of("rel/dir").toAbsolutePath().normalize().toString(), p.data());
        assertEquals("reference", p.backend());
        List<Pair> pairs = p.pairs();
        assertEquals(List.of("spidernet-s7", "spidernet-s3", "gdas-s7", "gdas-s3"), pairs.stream().map(Pair::directoryName).toList());
        Map<Pair, SearchConfig> cfgs = p.configs(f, CPU);
        SearchConfig gdas = cfgs.get(pairs.get(2));
        assertEquals("darts", gdas.strategy());
        assertEquals("gumbel", gdas.option("mixing"));
        assertEquals("3", gdas.option("layers"));
        assertEquals(7, gdas.seed());
        assertEquals(4, gdas.channels());
        assertEquals(2, gdas.iterations());
        assertEquals(0.02, gdas.train().learningRate());
        assertEquals(false, gdas.train().perStepDecay());
        assertEquals(List.of("synflow", "lrc"), gdas.metrics());
        assertEquals(5000, gdas.limits().images());
        assertEquals(90.5, gdas.limits().wallSeconds());
        assertEquals(123456789L, gdas.memoryBudgetBytes());
        assertEquals("mnist", gdas.source().dataset());
        assertEquals(3, cfgs.get(pairs.get(1)).seed());
    }

    @Test
    void theCopyReadsBackAsTheSamePlan() throws Exception {
        Path f = write("""
                {"strategies": ["random", {"name": "darts", "options": {"layers": 5}}], "seeds": [1, 2, 3],
                 "budget": {"seconds": 60}, "search": {"inits": 1, "drop-path": 0.1}}
                """);
        ExperimentPlan p = ExperimentPlan.read(f);
        Path copy = Files.writeString(tmp.resolve("copy.json"), p.toJson());
        ExperimentPlan q = ExperimentPlan.read(copy);
        assertEquals(p.toJson(), q.toJson());
        assertEquals(p.configs(f, CPU).values().stream().toList(), q.configs(copy, CPU).values().stream().toList());
        assertNull(q.maxImages());
    }

    @Test
    void aStrategysSpaceIsKeptAbsoluteAndGoesToItsConfiguration() throws Exception {
        Path region = Path.of("benchmarks/twin-fade-region.json"); // relative to the working directory, as "data" is
        Path f = write("""
                {"strategies": ["random", {"name": "darts", "space": "benchmarks/twin-fade-region.json"},
                                {"name": "random", "label": "auto", "space": "autospace"}],
                 "seeds": [1]}
                """);
        ExperimentPlan p = ExperimentPlan.read(f);
        assertNull(p.strategies().get(0).space());
        assertEquals(region.toAbsolutePath().normalize().toString(), p.strategies().get(1).space());
        assertEquals("autospace", p.strategies().get(2).space(), "a name is kept as it is");
        List<SearchConfig> cfgs = p.configs(f, CPU).values().stream().toList();
        assertNull(cfgs.get(0).space());
        assertEquals(p.strategies().get(1).space(), cfgs.get(1).space());
        assertEquals("autospace", cfgs.get(2).space());
        ExperimentPlan q = ExperimentPlan.read(Files.writeString(tmp.resolve("copy.json"), p.toJson()));
        assertEquals(p.toJson(), q.toJson());
        assertEquals(p.strategies(), q.strategies());

        Path own = write("{\"strategies\": [{\"name\": \"spidernet\", \"space\": \"autospace\"}], \"seeds\": [1]}");
        InvalidPlanException e = assertThrows(InvalidPlanException.class, () -> ExperimentPlan.read(own).configs(own, CPU));
        assertEquals(own + ": strategies[0].space: --space: strategy 'spidernet' searches its own space only", e.getMessage());
        Path number = write("{\"strategies\": [{\"name\": \"random\", \"space\": 3}], \"seeds\": [1]}");
        e = assertThrows(InvalidPlanException.class, () -> ExperimentPlan.read(number));
        assertTrue(e.getMessage().startsWith(number + ": strategies[0].space: expected a space's name or file"), e.getMessage());
    }

    @Test
    void refusalsNameTheFileAndTheField() throws Exception {
        String[][] cases = {
                {"[1]", "a plan is a JSON object"},
                {"{\"seeds\": [1]}", "strategies: missing"},
                {"{\"strategies\": [\"spidernet\"]}", "seeds: missing"},
                {"{\"strategies\": [\"spidernet\"], \"seeds\": [1.5]}", "seeds[0]: expected an integer"},
                {"{\"strategies\": [\"spidernet\", \"spidernet\"], \"seeds\": [1]}", "strategies[1]: label 'spidernet' is used twice"},
                {"{\"strategies\": [{\"name\": \"random\", \"label\": \"a/b\"}], \"seeds\": [1]}", "strategies[0].label: 'a/b' cannot name"},
                {"{\"strategies\": [{\"nam\": \"random\"}], \"seeds\": [1]}", "strategies[0].nam: unknown key"},
                {"{\"strategies\": [\"random\"], \"seeds\": [1], \"budget\": {\"seconds\": 0}}", "budget.seconds: expected a positive number"},
                {"{\"strategies\": [\"random\"], \"seeds\": [1], \"budget\": {\"epochs\": 3}}", "budget.epochs: unknown key"},
                {"{\"strategies\": [\"random\"], \"seeds\": [1], \"memory\": \"2G\"}", "memory: expected a positive integer number of bytes"},
                {"{\"strategies\": [\"random\"], \"seeds\": [1], \"search\": {\"metrics\": \"ntk\"}}", "search.metrics: expected an array of strings"},
                {"{\"strategies\": [\"random\"], \"seeds\": [1], \"seeds\": [2]}", "malformed JSON: Duplicate field 'seeds'"},
                {"{\"strategies\": [\"random\"], \"seeds\": [1]} {}", "malformed JSON"},
        };
        for (String[] c : cases) {
            Path f = write(c[0]);
            InvalidPlanException e = assertThrows(InvalidPlanException.class, () -> ExperimentPlan.read(f), c[0]);
            assertTrue(e.getMessage().startsWith(f + ": " + c[1]), "expected '" + c[1] + "' for " + c[0] + ", got: " + e.getMessage());
        }
        Path f = write("{\"strategies\": [\"random\"], \"seeds\": [1], \"search\": {\"epochs-per-iteration\": 0}}");
        InvalidPlanException e = assertThrows(InvalidPlanException.class, () -> ExperimentPlan.read(f).configs(f, CPU));
        assertTrue(e.getMessage().startsWith(f + ": search.epochs-per-iteration: "), e.getMessage());
        Path bytes = Files.write(tmp.resolve("bin.json"), new byte[]{'{', (byte) 0xC3, '}'});
        assertTrue(assertThrows(InvalidPlanException.class, () -> ExperimentPlan.read(bytes)).getMessage()
                .equals(bytes + ": not a UTF-8 text file"));
    }
}
