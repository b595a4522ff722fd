package org.spidernet.search.darts;

import org.spidernet.graph.ir.AlphaGroup;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * DARTS's discretisation: per inner node keep the two incoming edges whose strongest non-none op
 * weighs most (softmax of the edge's alpha row), each with that op. Edges are listed strongest
 * first; equal strengths keep the lower state first (a stable sort, as the public code's).
 */
public final class GenotypeDerivation {
    private GenotypeDerivation() {
    }

    /**
     * @param normal the normal cells' alphas, {@link DartsSkeleton#EDGES} rows of eight, row-major
     * @param reduce the reduction cells' alphas, likewise
     */
    public static Genotype derive(double[] normal, double[] reduce) {
        return new Genotype(cell(normal), cell(reduce));
    }

    private static List<Genotype.Edge> cell(double[] alphas) {
        int width = DartsOp.values().length;
        if (alphas.length != DartsSkeleton.EDGES * width) {
            throw new IllegalArgumentException("DARTS alphas: " + alphas.length + " values, expected "
                    + DartsSkeleton.EDGES + " x " + width);
        }
        List<Genotype.Edge> edges = new ArrayList<>();
        for (int node = 0; node < DartsSkeleton.NODES; node++) {
            List<Genotype.Edge> candidates = new ArrayList<>();
            List<Double> strength = new ArrayList<>();
            for (int from = 0; from < node + 2; from++) {
                double[] w = AlphaGroup.softmax(alphas, DartsSkeleton.edgeRow(node, from) * width, width);
                int best = -1;
                for (int k = 0; k < width; k++) {
                    if (k != DartsOp.NONE.ordinal() && (best < 0 || w[k] > w[best])) {
                        best = k;
                    }
                }
                candidates.add(new Genotype.Edge(DartsOp.values()[best], from));
                strength.add(w[best]);
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < candidates.size(); i++) {
                order.add(i);
            }
            order.sort(Comparator.comparingDouble(i -> -strength.get(i)));
            edges.add(candidates.get(order.get(0)));
            edges.add(candidates.get(order.get(1)));
        }
        return edges;
    }
}
