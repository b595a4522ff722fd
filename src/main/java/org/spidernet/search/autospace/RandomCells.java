package org.spidernet.search.autospace;

import org.spidernet.search.darts.DartsOp;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Random AutoSpace cells, the starting points of a layer population. Every valid cell has a
 * non-zero chance, so the population can start anywhere in the space: each node's input count
 * (1 or 2) has equal odds, its sources are a uniform subset of the earlier vertices, and each
 * edge's op is uniform over {@link AutoCell#ops()}.
 */
public final class RandomCells {
    private RandomCells() {
    }

    /** One cell drawn from {@code r}; the same generator state gives the same cell. */
    public static AutoCell draw(Random r) {
        List<DartsOp> ops = AutoCell.ops();
        List<AutoCell.Edge> edges = new ArrayList<>();
        for (int v = 1; v <= AutoCell.NODES; v++) {
            int inputs = 1 + r.nextInt(Math.min(AutoCell.MAX_INPUTS, v));
            int[] sources = IntStream.range(0, v).toArray();
            // a partial Fisher-Yates shuffle: the first `inputs` entries are a uniform subset
            for (int j = 0; j < inputs; j++) {
                int k = j + r.nextInt(v - j);
                int t = sources[j];
                sources[j] = sources[k];
                sources[k] = t;
                edges.add(new AutoCell.Edge(sources[j], v, ops.get(r.nextInt(ops.size()))));
            }
        }
        return new AutoCell(edges);
    }
}
