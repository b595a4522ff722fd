package org.spidernet.search.autospace;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CellMutationTest {
    /** Node 2 reads both earlier vertices (no move), node 3 one of three (2 moves), node 4 two of four (4 moves). */
    private static final AutoCell CELL = AutoCell.parse(
            "0>1:sep_conv_3x3 0>2:skip_connect 1>2:max_pool_3x3 2>3:dil_conv_3x3 1>4:avg_pool_3x3 3>4:sep_conv_5x5");

    @Test
    void anOpChangeAltersOneEdgesOpUniformlyOverTheEdgesAndTheOtherSixOps() {
        Random r = new Random(21);
        Map<AutoCell, Integer> children = new HashMap<>();
        int draws = 36_000;
        for (int i = 0; i < draws; i++) {
            AutoCell child = CellMutation.changeOp(CELL, r);
            assertEquals(Optional.of(CellEdit.OP), CellEdit.between(CELL, child), child.code());
            children.merge(child, 1, Integer::sum);
        }
        int moves = CELL.edges().size() * 6;
        assertEquals(moves, children.size(), "every (edge, other op) occurs");
        // 1000 expected per move, a standard error of 31
        children.forEach((c, n) -> assertEquals(draws / (double) moves, n, 150, c.code()));
    }

    @Test
    void aRewireMovesOneEdgeToAnUnreadEarlierVertexUniformlyOverAllMoves() {
        Random r = new Random(22);
        Map<AutoCell, Integer> children = new HashMap<>();
        int draws = 12_000;
        for (int i = 0; i < draws; i++) {
            AutoCell child = CellMutation.rewire(CELL, r).orElseThrow();
            assertEquals(Optional.of(CellEdit.SOURCE), CellEdit.between(CELL, child), child.code());
            children.merge(child, 1, Integer::sum);
        }
        // node 3's edge may move to 0 or 1; each of node 4's two edges to 0 or 2
        assertEquals(6, children.size(), "every move occurs: " + children.keySet());
        assertTrue(children.containsKey(AutoCell.parse(
                "0>1:sep_conv_3x3 0>2:skip_connect 1>2:max_pool_3x3 0>3:dil_conv_3x3 1>4:avg_pool_3x3 3>4:sep_conv_5x5")));
        // 2000 expected per move, a standard error of 41
        children.forEach((c, n) -> assertEquals(draws / 6.0, n, 200, c.code()));
    }

    @Test
    void everyRandomCellHasARewireAndEveryMutationIsOneEditAway() {
        Random r = new Random(23);
        for (int i = 0; i < 2_000; i++) {
            AutoCell parent = RandomCells.draw(r);
            assertTrue(CellMutation.rewire(parent, r).isPresent(), parent.code());
            AutoCell child = CellMutation.mutate(parent, 0.5, r);
            assertNotEquals(parent, child);
            assertTrue(CellEdit.between(parent, child).isPresent(), parent.code() + " -> " + child.code());
        }
    }

    @Test
    void rateOneOnlyChangesOpsAndRateZeroOnlyRewires() {
        Random r = new Random(24);
        for (int i = 0; i < 1_000; i++) {
            AutoCell parent = RandomCells.draw(r);
            assertEquals(Optional.of(CellEdit.OP), CellEdit.between(parent, CellMutation.mutate(parent, 1.0, r)));
            assertEquals(Optional.of(CellEdit.SOURCE), CellEdit.between(parent, CellMutation.mutate(parent, 0.0, r)));
        }
    }

    @Test
    void rateSevenTenthsChangesOpsInSeventyPercentWithinTwoPoints() {
        Random r = new Random(25);
        int draws = 10_000;
        int opChanges = 0;
        for (int i = 0; i < draws; i++) {
            if (CellEdit.between(CELL, CellMutation.mutate(CELL, 0.7, r)).orElseThrow() == CellEdit.OP) {
                opChanges++;
            }
        }
        // one standard error of the share is 0.0046
        assertEquals(0.7, opChanges / (double) draws, 0.02);
    }

    @Test
    void theSameSeedGivesTheSameChildren() {
        List<AutoCell> a = children(new Random(26));
        assertEquals(a, children(new Random(26)));
        assertNotEquals(a, children(new Random(27)));
    }

    @Test
    void aRateOutsideZeroToOneIsRejectedByName() {
        for (double bad : new double[] {-0.1, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CellMutation.mutate(CELL, bad, new Random(28)));
            assertEquals("AutoSpace mutation: op-change rate " + bad + " is not in [0, 1]", e.getMessage());
        }
    }

    private static List<AutoCell> children(Random r) {
        return Stream.generate(() -> CellMutation.mutate(CELL, 0.5, r)).limit(50).toList();
    }
}
