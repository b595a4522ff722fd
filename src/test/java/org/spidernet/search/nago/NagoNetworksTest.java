package org.spidernet.search.nago;

import org.junit.jupiter.api.Test;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.MixedCellBackendsTest;
import org.spidernet.exec.NetworkFiniteDifferences;
import org.spidernet.exec.PlanOptions;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.InvalidGenomeException;
import org.spidernet.graph.ir.Architecture;
import org.spidernet.graph.ir.NodeOp;
import org.spidernet.graph.random.RandomDag;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NAGO's networks: a generator's draws lower to the IR with a conv per conv op plus stem and stage
 * changes, read back from their JSON, fit a parameter budget by their width, match finite
 * differences on the reference backend and agree across backends (fresh seeds, printed on failure).
 */
class NagoNetworksTest {
    private static final NagoGenerator SMALL = new NagoGenerator(4, 2, 0.5, 3, 0.6, 3, 2, 0.5);

    @Test
    void aDrawLowersWithAConvPerConvOpAndReadsBackFromItsJson() {
        long seed = System.nanoTime();
        NagoNetwork n = SMALL.sample(new InputSpec(1, 12, 12, 3), 2, new Random(seed));
        Architecture a = n.lower();
        int convOps = 0;
        for (CellGraph c : n.cells()) {
            for (OpGraph g : c.nodes()) {
                convOps += (int) g.ops().stream().filter(NagoOp::conv).count();
            }
        }
        int stageChanges = 0;
        for (int v = 0; v < n.top().nodes(); v++) {
            for (int u : n.top().predecessors(v)) {
                stageChanges += n.stages().get(u).equals(n.stages().get(v)) ? 0 : 1;
            }
            if (n.top().predecessors(v).length == 0 && n.stages().get(v) > 0) {
                stageChanges++;
            }
        }
        int last = n.stages().stream().mapToInt(Integer::intValue).max().orElseThrow();
        for (int v : n.top().outputs()) {
            stageChanges += n.stages().get(v) == last ? 0 : 1;
        }
        long convs = a.nodes().stream().filter(x -> x.op() instanceof NodeOp.Conv).count();
        assertEquals(1 + convOps + stageChanges, convs, "stem + a conv per conv op + a 1x1 per stage change, seed " + seed);
        assertEquals(List.of(0, 0, 1, 2), n.stages(), "four cells split into three stages in index order");
        assertEquals(n, NagoJson.read(NagoJson.write(n)), "seed " + seed);
    }

    @Test
    void theWidthIsTheWidestWithinTheParameterBudget() {
        long seed = System.nanoTime();
        InputSpec in = new InputSpec(1, 12, 12, 3);
        NagoNetwork n = SMALL.sample(in, 20_000L, new Random(seed));
        long params = ExecutionPlan.compile(n.lower(), 2, 4, PlanOptions.TRAINING).parameterCount();
        NagoNetwork wider = new NagoNetwork(in, n.channels() + 1, n.top(), n.stages(), n.cells());
        long widerParams = ExecutionPlan.compile(wider.lower(), 2, 4, PlanOptions.TRAINING).parameterCount();
        assertTrue(params <= 20_000 && widerParams > 20_000, "seed " + seed + ": C=" + n.channels() + " has " + params
                + ", C+1 " + widerParams);
    }

    @Test
    void drawsMatchFiniteDifferencesAndAgreeAcrossBackends() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        NagoNetwork tiny = new NagoGenerator(3, 2, 0.5, 2, 0.8, 3, 2, 0.5).sample(new InputSpec(1, 8, 8, 3), 2, r);
        NetworkFiniteDifferences.check(tiny.lower(), 2, seed, 16);
        NagoNetwork n = SMALL.sample(new InputSpec(1, 12, 12, 3), 2, r);
        List<String> compared = new ArrayList<>(MixedCellBackendsTest.agree(n.lower(), 4, "nago", seed));
        System.out.println("NagoNetworksTest: compared " + compared + " with the reference");
        assertTrue(compared.contains("cpu/nago"), "compared: " + compared);
    }

    @Test
    void brokenFilesNameThePath() {
        NagoNetwork n = SMALL.sample(new InputSpec(1, 12, 12, 3), 2, new Random(7));
        String json = NagoJson.write(n);
        InvalidGenomeException e = assertThrows(InvalidGenomeException.class,
                () -> NagoJson.read(json.replaceFirst("\"conv(3x3|5x5|1x1)\"", "\"conv7x7\"")));
        assertTrue(e.getMessage().matches("cells\\[\\d+]\\.nodes\\[\\d+]\\.ops\\[\\d+]: unknown NAGO op 'conv7x7'.*"), e.getMessage());
        e = assertThrows(InvalidGenomeException.class, () -> NagoJson.read(json.replaceFirst("\"stage\" : 0", "\"stage\" : 5")));
        assertTrue(e.getMessage().contains("stage 5"), e.getMessage());
        e = assertThrows(InvalidGenomeException.class, () -> NagoJson.read(json.replace("\"format\" : \"nago-network\"",
                "\"format\" : \"x\"")));
        assertEquals("format: expected 'nago-network', found 'x'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new OpGraph(new RandomDag(1, List.of()), List.of(NagoOp.POOL_3X3)),
                "an op graph's output must be a conv");
    }
}
