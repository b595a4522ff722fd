package org.spidernet.search.autospace;

import org.junit.jupiter.api.Test;
import org.spidernet.search.darts.DartsOp;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RandomCellsTest {
    private static final int DRAWS = 20_000;

    @Test
    void everyDrawIsAValidCellThatSurvivesItsCode() {
        Random r = new Random(11);
        for (int i = 0; i < 2_000; i++) {
            AutoCell c = RandomCells.draw(r);
            // the record's constructor validated it; parse validates the code form again
            assertEquals(c, AutoCell.parse(c.code()));
            assertEquals(List.of(new AutoCell.Edge(0, 1, c.into(1).get(0).op())), c.into(1), "node 1 reads only the input");
        }
    }

    @Test
    void opsAreUniformWithinOnePercentagePoint() {
        Random r = new Random(12);
        Map<DartsOp, Integer> counts = new EnumMap<>(DartsOp.class);
        int edges = 0;
        for (int i = 0; i < DRAWS; i++) {
            for (AutoCell.Edge e : RandomCells.draw(r).edges()) {
                counts.merge(e.op(), 1, Integer::sum);
                edges++;
            }
        }
        assertEquals(AutoCell.ops().size(), counts.size(), "every op occurs: " + counts);
        for (DartsOp op : AutoCell.ops()) {
            // ~110k edges: one standard error of a 1/7 share is 0.001
            double share = counts.get(op) / (double) edges;
            assertEquals(1.0 / 7, share, 0.01, op.jsonName());
        }
    }

    @Test
    void nodesAfterTheFirstReadOneOrTwoVerticesWithEqualOddsAndUniformSources() {
        Random r = new Random(13);
        int nodes = AutoCell.NODES;
        int[] twoInputs = new int[nodes + 1];
        int[][] singleSource = new int[nodes + 1][nodes];
        int[][] pairSource = new int[nodes + 1][nodes];
        for (int i = 0; i < DRAWS; i++) {
            AutoCell c = RandomCells.draw(r);
            for (int v = 2; v <= nodes; v++) {
                List<AutoCell.Edge> in = c.into(v);
                if (in.size() == 2) {
                    twoInputs[v]++;
                }
                for (AutoCell.Edge e : in) {
                    (in.size() == 2 ? pairSource : singleSource)[v][e.from()]++;
                }
            }
        }
        for (int v = 2; v <= nodes; v++) {
            int two = twoInputs[v];
            int one = DRAWS - two;
            // 20k draws: one standard error of a 1/2 share is 0.0035
            assertEquals(0.5, two / (double) DRAWS, 0.02, "share of two-input draws at node " + v);
            for (int s = 0; s < v; s++) {
                // a single source is one of v vertices; a pair holds a given vertex with odds 2/v
                assertEquals(1.0 / v, singleSource[v][s] / (double) one, 0.02, "node " + v + " reads " + s + " alone");
                assertEquals(2.0 / v, pairSource[v][s] / (double) two, 0.02, "node " + v + " reads " + s + " in a pair");
            }
        }
    }

    @Test
    void theSameSeedDrawsTheSameCellsAndAnotherSeedOthers() {
        Random a = new Random(14);
        Random b = new Random(14);
        Random c = new Random(15);
        int same = 0;
        for (int i = 0; i < 100; i++) {
            AutoCell x = RandomCells.draw(a);
            assertEquals(x, RandomCells.draw(b));
            if (x.equals(RandomCells.draw(c))) {
                same++;
            }
        }
        assertTrue(same < 5, same + " of 100 cells equal across seeds");
    }
}
