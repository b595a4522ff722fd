package org.spidernet.metrics;

import org.spidernet.backend.Backend;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.GateSpec;
import org.spidernet.exec.InitScheme;
import org.spidernet.exec.Network;
import org.spidernet.exec.PlanOptions;
import org.spidernet.graph.Cell;
import org.spidernet.graph.Edge;
import org.spidernet.graph.Genome;
import org.spidernet.graph.InputSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Builds the untrained networks metrics run: a genome re-instantiated at the metric's width,
 * compiled, bound, initialised from the context's seed, with the switched-off edges' ops pruned.
 *
 * <p>The parent is the child's own plan with gates pruned, not a separately compiled genome:
 * initialisation draws one random stream per parameter in plan order, so only the same plan
 * gives every shared weight the same value in child and parent.
 */
final class ScoringNetwork {
    private ScoringNetwork() {
    }

    /** The genome at another stem width (cells keep their structure); {@code width <= 0} keeps its own. */
    static Genome atWidth(Genome g, int width) {
        return width <= 0 || width == g.channels() ? g : new Genome(g.input(), width, g.reductions(), g.cells());
    }

    /** The genome with another input (the linear-region crops), at another width. */
    static Genome withInput(Genome g, InputSpec input, int width) {
        return new Genome(input, width, g.reductions(), g.cells());
    }

    static Network open(Backend backend, Genome genome, int batch, PlanOptions options, long seed, InitScheme scheme,
                        Set<EdgeRef> switchedOff) {
        requireEdges(genome, switchedOff);
        ExecutionPlan plan = ExecutionPlan.compile(genome, batch, backend.bytesPerElement(), options);
        Network net = Network.bind(plan, backend);
        try {
            net.initialize(seed, scheme);
            for (GateSpec g : plan.gates()) {
                if (switchedOff.contains(new EdgeRef(g.cell(), g.from(), g.to()))) {
                    net.prune(g.index());
                }
            }
            return net;
        } catch (RuntimeException | Error e) {
            net.close();
            throw e;
        }
    }

    /** The genome with every op of the switched-off edges removed: what the pruned network computes, for counts. */
    static Genome withEdgesEmptied(Genome genome, Set<EdgeRef> switchedOff) {
        requireEdges(genome, switchedOff);
        Genome g = genome;
        for (Cell c : genome.cells()) {
            List<Edge> edges = new ArrayList<>();
            boolean changed = false;
            for (Edge e : c.edges()) {
                if (switchedOff.contains(new EdgeRef(c.index(), e.from(), e.to()))) {
                    edges.add(new Edge(e.from(), e.to(), List.of()));
                    changed = true;
                } else {
                    edges.add(e);
                }
            }
            if (changed) {
                g = g.withCell(c.withEdges(c.nodes(), edges));
            }
        }
        return g;
    }

    static void requireEdges(Genome genome, Set<EdgeRef> switchedOff) {
        for (EdgeRef e : switchedOff) {
            if (!e.existsIn(genome)) {
                throw new IllegalArgumentException("cannot switch off " + e + ": the genome has no such edge");
            }
        }
    }
}
