package org.spidernet.graph.random;

import java.util.ArrayList;
import java.util.List;

/**
 * The undirected simple graph (no self-loops, no parallel edges) a generator builds before
 * orienting it. Mutable and package-private: it lives only inside one {@code generate} call.
 * An adjacency matrix, since NAGO's graphs have at most tens of nodes and rewiring asks "is
 * {u, w} an edge?" for every candidate {@code w}.
 */
final class SimpleGraph {
    private final int nodes;
    private final boolean[][] adjacent;
    private final int[] degree;

    SimpleGraph(int nodes) {
        this.nodes = nodes;
        this.adjacent = new boolean[nodes][nodes];
        this.degree = new int[nodes];
    }

    int nodes() {
        return nodes;
    }

    boolean hasEdge(int u, int v) {
        return adjacent[u][v];
    }

    int degree(int v) {
        return degree[v];
    }

    /** Adds {u, v}; the generators never add an edge twice or a self-loop, so either is a bug here. */
    void addEdge(int u, int v) {
        if (u == v || adjacent[u][v]) {
            throw new IllegalStateException("edge {" + u + ", " + v + "} is a self-loop or already present");
        }
        adjacent[u][v] = adjacent[v][u] = true;
        degree[u]++;
        degree[v]++;
    }

    void removeEdge(int u, int v) {
        if (!adjacent[u][v]) {
            throw new IllegalStateException("edge {" + u + ", " + v + "} is not present");
        }
        adjacent[u][v] = adjacent[v][u] = false;
        degree[u]--;
        degree[v]--;
    }

    /** Every edge {u, v} as {@code min -> max}. */
    RandomDag oriented() {
        List<RandomDag.Edge> edges = new ArrayList<>();
        for (int u = 0; u < nodes; u++) {
            for (int v = u + 1; v < nodes; v++) {
                if (adjacent[u][v]) {
                    edges.add(new RandomDag.Edge(u, v));
                }
            }
        }
        return new RandomDag(nodes, edges);
    }
}
