package org.spidernet.search.darts;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random DARTS genotypes for tests: two inputs per node, each any op but none, from any earlier node. */
public final class RandomGenotypes {
    private RandomGenotypes() {
    }

    public static Genotype draw(Random r) {
        List<List<Genotype.Edge>> cells = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            List<Genotype.Edge> edges = new ArrayList<>();
            for (int node = 0; node < 4; node++) {
                for (int t = 0; t < 2; t++) {
                    edges.add(new Genotype.Edge(DartsOp.values()[1 + r.nextInt(7)], r.nextInt(node + 2)));
                }
            }
            cells.add(edges);
        }
        return new Genotype(cells.get(0), cells.get(1));
    }
}
