package org.spidernet.search.spidernet;

import org.spidernet.graph.Cell;
import org.spidernet.graph.Edge;
import org.spidernet.graph.EdgeSplit;
import org.spidernet.graph.Genome;
import org.spidernet.graph.OpType;
import org.spidernet.search.MemoryBudget;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The SpiderNet space's sampler (what random search draws from): a network reached by
 * a random number of random edge splits from the initial net, with a random non-empty subset of
 * the seven ops on every edge (each op kept with probability 1/2). A sample over the memory
 * budget is redrawn with fewer splits; the initial net is the last resort.
 */
final class RandomArchitecture {
    private RandomArchitecture() {
    }

    /** @param maxSplits the largest number of splits drawn (uniformly from 0..maxSplits) */
    static Genome sample(Genome initial, int maxSplits, MemoryBudget budget, long seed) {
        Random r = new Random(seed);
        int splits = r.nextInt(maxSplits + 1);
        for (int attempt = 0; attempt < 8; attempt++) {
            Genome g = initial;
            for (int s = 0; s < splits; s++) {
                int k = r.nextInt(g.cells().size());
                List<Edge> edges = g.cell(k).edges();
                Edge e = edges.get(r.nextInt(edges.size()));
                g = new EdgeSplit(k, e.from(), e.to()).applyTo(g);
            }
            g = randomOps(g, r);
            if (budget.fits(g)) {
                return g;
            }
            splits /= 2;
        }
        return initial;
    }

    private static Genome randomOps(Genome g, Random r) {
        Genome out = g;
        for (Cell c : g.cells()) {
            List<Edge> edges = new ArrayList<>();
            for (Edge e : c.edges()) {
                List<OpType> ops = new ArrayList<>();
                for (OpType op : OpType.CANDIDATES) {
                    if (r.nextBoolean()) {
                        ops.add(op);
                    }
                }
                if (ops.isEmpty()) {
                    ops.add(OpType.CANDIDATES.get(r.nextInt(OpType.CANDIDATES.size())));
                }
                edges.add(new Edge(e.from(), e.to(), ops));
            }
            out = out.withCell(c.withEdges(c.nodes(), edges));
        }
        return out;
    }
}
