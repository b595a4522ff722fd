package org.spidernet.search.nago;

import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.PlanOptions;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.random.ErdosRenyi;
import org.spidernet.graph.random.RandomDag;
import org.spidernet.graph.random.WattsStrogatz;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * A NAGO network generator (Ru, Esperanca, Carlucci 2020): eight numbers that define a distribution
 * over networks. The top level is a Watts-Strogatz graph of cells ({@code topNodes},
 * {@code topK}, {@code topP}), split into three stages in index order; every cell is an
 * Erdos-Renyi graph of nodes ({@code midNodes}, {@code midP}); every node a Watts-Strogatz graph
 * of ops ({@code bottomNodes}, {@code bottomK}, {@code bottomP}), each op drawn uniformly from
 * {@link NagoOp} (convs only at an op graph's outputs). The public code's ranges: nodes 3..10,
 * K 2..5, P 0.1..1 (0.2..1 for the middle level). As there, a graph is redrawn until connected,
 * at most {@value #TRIES} times, keeping the last draw; a K not below the node count is clamped
 * to nodes - 1 (NAGO passes K on unchanged, where NetworkX fails for it).
 */
public record NagoGenerator(int topNodes, int topK, double topP, int midNodes, double midP, int bottomNodes, int bottomK,
                            double bottomP) {
    static final int TRIES = 30;
    /** Widest base width {@link #sample(InputSpec, long, Random)} tries. */
    public static final int MAX_CHANNELS = 256;

    public NagoGenerator {
        requireNodes(topNodes, "top nodes");
        requireNodes(midNodes, "mid nodes");
        requireNodes(bottomNodes, "bottom nodes");
        if (topK < 2 || bottomK < 2) {
            throw new IllegalArgumentException("NAGO generator: K must be >= 2, got top " + topK + " and bottom " + bottomK);
        }
        for (double p : new double[]{topP, midP, bottomP}) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("NAGO generator: P must be in [0, 1], got " + p);
            }
        }
    }

    private static void requireNodes(int n, String what) {
        if (n < 1 || n > NagoNetwork.MAX_NODES) {
            throw new IllegalArgumentException("NAGO generator: " + what + " must be in 1.." + NagoNetwork.MAX_NODES + ", got " + n);
        }
    }

    /** A network at base width {@code channels}: graphs and ops drawn from {@code r}. */
    public NagoNetwork sample(InputSpec input, int channels, Random r) {
        RandomDag top = connected(() -> ws(topNodes, topK, topP, r));
        List<Integer> stages = new ArrayList<>();
        List<CellGraph> cells = new ArrayList<>();
        for (int v = 0; v < top.nodes(); v++) {
            stages.add(v * NagoNetwork.STAGES / top.nodes());
            RandomDag mid = connected(() -> ErdosRenyi.generate(midNodes, midP, r));
            List<OpGraph> nodes = new ArrayList<>();
            for (int m = 0; m < mid.nodes(); m++) {
                RandomDag bottom = connected(() -> ws(bottomNodes, bottomK, bottomP, r));
                nodes.add(ops(bottom, r));
            }
            cells.add(new CellGraph(mid, nodes));
        }
        return new NagoNetwork(input, channels, top, stages, cells);
    }

    /**
     * A network drawn as {@link #sample(InputSpec, int, Random)} does, at the widest base width up
     * to {@value #MAX_CHANNELS} whose parameters stay within {@code maxParams} (NAGO scales widths
     * to a parameter budget); width 1 when even that is over.
     */
    public NagoNetwork sample(InputSpec input, long maxParams, Random r) {
        NagoNetwork n = sample(input, 1, r);
        int lo = 1;
        int hi = MAX_CHANNELS;
        while (lo < hi) {
            int mid = (lo + hi + 1) / 2;
            if (params(n, mid) <= maxParams) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return new NagoNetwork(input, lo, n.top(), n.stages(), n.cells());
    }

    private static long params(NagoNetwork n, int channels) {
        NagoNetwork at = new NagoNetwork(n.input(), channels, n.top(), n.stages(), n.cells());
        return ExecutionPlan.compile(at.lower(), 2, 4, PlanOptions.TRAINING).parameterCount();
    }

    private static RandomDag ws(int n, int k, double p, Random r) {
        if (n < 3) {
            // a ring needs three nodes: fewer are a chain
            List<RandomDag.Edge> chain = new ArrayList<>();
            for (int v = 1; v < n; v++) {
                chain.add(new RandomDag.Edge(v - 1, v));
            }
            return new RandomDag(n, chain);
        }
        int even = Math.min(k - k % 2, n % 2 == 0 ? n - 2 : n - 1);
        return WattsStrogatz.generate(n, even, p, r);
    }

    private static OpGraph ops(RandomDag g, Random r) {
        NagoOp[] all = NagoOp.values();
        List<NagoOp> convs = NagoOp.convs();
        java.util.Set<Integer> outputs = new java.util.HashSet<>();
        for (int v : g.outputs()) {
            outputs.add(v);
        }
        List<NagoOp> ops = new ArrayList<>();
        for (int v = 0; v < g.nodes(); v++) {
            ops.add(outputs.contains(v) ? convs.get(r.nextInt(convs.size())) : all[r.nextInt(all.length)]);
        }
        return new OpGraph(g, ops);
    }

    private static RandomDag connected(Supplier<RandomDag> draw) {
        RandomDag g = draw.get();
        for (int t = 1; t < TRIES && !isConnected(g); t++) {
            g = draw.get();
        }
        return g;
    }

    static boolean isConnected(RandomDag g) {
        int[] parent = new int[g.nodes()];
        for (int v = 0; v < parent.length; v++) {
            parent[v] = v;
        }
        int components = g.nodes();
        for (RandomDag.Edge e : g.edges()) {
            int a = root(parent, e.from());
            int b = root(parent, e.to());
            if (a != b) {
                parent[a] = b;
                components--;
            }
        }
        return components <= 1;
    }

    private static int root(int[] parent, int v) {
        while (parent[v] != v) {
            parent[v] = parent[parent[v]];
            v = parent[v];
        }
        return v;
    }
}
