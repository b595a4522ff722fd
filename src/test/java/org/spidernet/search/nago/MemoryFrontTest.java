package org.spidernet.search.nago;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The accuracy-memory front and its hypervolume on hand-computed numbers. */
class MemoryFrontTest {
    private static NagoEvaluation network(int configuration, double accuracy, long peak) {
        return new NagoEvaluation(0, 0, configuration, 0, 4, accuracy, 100, peak, 10, 0.1);
    }

    @Test
    void keepsTheNonDominatedNetworksByPeakAscending() {
        NagoEvaluation a = network(0, 0.5, 20);
        NagoEvaluation b = network(1, 0.8, 60);
        NagoEvaluation dominated = network(2, 0.4, 50);
        assertEquals(List.of(a, b), MemoryFront.of(List.of(b, dominated, a)));
        assertEquals(List.of(), MemoryFront.of(List.of()));
        // by parameters (a and b both 100, c 10) c is on the front and a, beaten by b at equal cost, is not
        NagoEvaluation c = new NagoEvaluation(0, 0, 3, 0, 4, 0.45, 10, 90, 10, 0.1);
        assertEquals(List.of(c, b), MemoryFront.of(List.of(b, dominated, a, c), NagoEvaluation::params));
        assertEquals(List.of(a, b), MemoryFront.of(List.of(b, dominated, a, c)));
    }

    @Test
    void hypervolumeIsTheDominatedShareOfTheBox() {
        List<NagoEvaluation> nets = List.of(network(0, 0.5, 20), network(1, 0.8, 60), network(2, 0.4, 50));
        // 0.5 x (1 - 20/100) + (0.8 - 0.5) x (1 - 60/100) = 0.4 + 0.12
        assertEquals(0.52, MemoryFront.hypervolume(nets, 100), 1e-12);
        // a network over the budget is on the front but dominates nothing inside the box
        List<NagoEvaluation> over = List.of(network(0, 0.5, 20), network(1, 0.8, 60), network(3, 0.9, 120));
        assertEquals(3, MemoryFront.of(over).size());
        assertEquals(0.52, MemoryFront.hypervolume(over, 100), 1e-12);
        assertEquals(0.0, MemoryFront.hypervolume(List.of(), 100), 0.0);
        assertEquals(1.0, MemoryFront.hypervolume(List.of(network(0, 1.0, 0)), 100), 1e-12);
    }
}
