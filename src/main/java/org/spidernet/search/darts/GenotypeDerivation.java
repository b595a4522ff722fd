package org.spidernet.search.darts;

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
                double[] w = softmax(alphas, DartsSkeleton.edgeRow(node, from) * width, width);
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

    /** Softmax of {@code width} values from {@code offset}. */
    static double[] softmax(double[] a, int offset, int width) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < width; i++) {
            max = Math.max(max, a[offset + i]);
        }
        double[] w = new double[width];
        double sum = 0;
        for (int i = 0; i < width; i++) {
            w[i] = Math.exp(a[offset + i] - max);
            sum += w[i];
        }
        for (int i = 0; i < width; i++) {
            w[i] /= sum;
        }
        return w;
    }
}
