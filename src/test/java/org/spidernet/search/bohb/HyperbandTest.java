package org.spidernet.search.bohb;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HyperbandTest {

    /** n_i / r_i per rung, bracket by bracket from s_max down to 0. */
    private static int[][][] table(Hyperband h) {
        List<Bracket> bs = h.brackets();
        int[][][] t = new int[bs.size()][][];
        for (int b = 0; b < bs.size(); b++) {
            List<Rung> rs = bs.get(b).rungs();
            t[b] = new int[rs.size()][];
            for (int i = 0; i < rs.size(); i++) {
                double budget = rs.get(i).budget();
                assertEquals(Math.rint(budget), budget, 0.0, "budget " + budget + " is whole");
                t[b][i] = new int[]{rs.get(i).configurations(), (int) budget};
            }
        }
        return t;
    }

    @Test
    void liEtAlTable1ForR81Eta3() {
        // Li et al. 2017 (JMLR), Table 1: R = 81, eta = 3, columns s = 4..0, n_i r_i per rung.
        int[][][] published = {
                {{81, 1}, {27, 3}, {9, 9}, {3, 27}, {1, 81}},
                {{34, 3}, {11, 9}, {3, 27}, {1, 81}},
                {{15, 9}, {5, 27}, {1, 81}},
                {{8, 27}, {2, 81}},
                {{5, 81}},
        };
        Hyperband h = new Hyperband(1, 81, 3);
        assertEquals(4, h.sMax());
        int[][][] got = table(h);
        assertEquals(published.length, got.length);
        for (int b = 0; b < got.length; b++) {
            assertEquals(4 - b, h.brackets().get(b).s());
            assertEquals(published[b].length, got[b].length, "bracket s=" + (4 - b));
            for (int i = 0; i < got[b].length; i++) {
                assertEquals(published[b][i][0], got[b][i][0], "n at s=" + (4 - b) + " rung " + i);
                assertEquals(published[b][i][1], got[b][i][1], "r at s=" + (4 - b) + " rung " + i);
            }
        }
    }

    @Test
    void nagoEpochs30To120Eta2() {
        // s_max = floor(log2(120 / 30)) = 2.
        // s=2: n = ceil(3/3 * 4) = 4 on 30 epochs -> 2 on 60 -> 1 on 120
        // s=1: n = ceil(3/2 * 2) = 3 on 60 -> 1 on 120
        // s=0: n = ceil(3/1 * 1) = 3 on 120
        Hyperband h = new Hyperband(30, 120, 2);
        assertEquals(2, h.sMax());
        int[][][] expected = {
                {{4, 30}, {2, 60}, {1, 120}},
                {{3, 60}, {1, 120}},
                {{3, 120}},
        };
        int[][][] got = table(h);
        assertEquals(expected.length, got.length);
        for (int b = 0; b < got.length; b++) {
            assertEquals(expected[b].length, got[b].length);
            for (int i = 0; i < got[b].length; i++) {
                assertEquals(expected[b][i][0], got[b][i][0]);
                assertEquals(expected[b][i][1], got[b][i][1]);
            }
        }
        // Brackets cost about the same: (s_max + 1) bmax = 360 epochs each, up to floors.
        assertEquals(360, h.bracket(2).totalBudget(), 0.0);
        assertEquals(300, h.bracket(1).totalBudget(), 0.0);
        assertEquals(360, h.bracket(0).totalBudget(), 0.0);
    }

    @Test
    void ratioThatIsNotAPowerOfEtaRoundsSMaxDownAndEndsExactlyOnMaxBudget() {
        Hyperband h = new Hyperband(1, 100, 3); // log3(100) = 4.19
        assertEquals(4, h.sMax());
        for (Bracket b : h.brackets()) {
            assertEquals(100.0, b.rungs().get(b.rungs().size() - 1).budget(), 0.0);
        }
        assertEquals(100.0 / 81, h.bracket(4).rungs().get(0).budget(), 1e-15);
        Hyperband flat = new Hyperband(5, 5, 2);
        assertEquals(0, flat.sMax());
        assertEquals(List.of(new Rung(1, 5)), flat.bracket(0).rungs());
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new Hyperband(0, 81, 3));
        assertThrows(IllegalArgumentException.class, () -> new Hyperband(10, 5, 3));
        assertThrows(IllegalArgumentException.class, () -> new Hyperband(1, Double.POSITIVE_INFINITY, 3));
        assertThrows(IllegalArgumentException.class, () -> new Hyperband(1, 81, 1));
        assertThrows(IllegalArgumentException.class, () -> new Hyperband(1, 81, 3).bracket(5));
        assertThrows(IllegalArgumentException.class, () -> new Hyperband(1, 81, 3).bracket(-1));
    }
}
