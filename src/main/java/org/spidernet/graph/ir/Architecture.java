package org.spidernet.graph.ir;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The architecture IR: one network as a DAG of typed nodes in topological order (every node reads
 * only earlier ones), with its parameter groups beyond the ops' own weights (the gates of gated
 * sums, the architecture weights of weighted sums) and its classifier heads. Every search space lowers its architectures to this; the
 * execution plan, memory plan, backends, metrics and trainer read only this.
 *
 * <p>Immutable and checked on construction: node 0 is the only input, ids are positions, names
 * are unique, every shape is re-inferred from the op and its inputs and must equal the one
 * recorded, gates are referenced by exactly one gated sum each, weighted sums read existing rows
 * and choices of their alpha group (each pair once), and heads name classifier nodes.
 */
public record Architecture(List<Node> nodes, List<Gate> gates, List<AlphaGroup> alphas, List<Head> heads) {

    public Architecture {
        nodes = List.copyOf(nodes);
        gates = List.copyOf(gates);
        alphas = List.copyOf(alphas);
        heads = List.copyOf(heads);
        check(nodes, gates, alphas, heads);
    }

    public Node node(int id) {
        return nodes.get(id);
    }

    public NodeOp.Input input() {
        return (NodeOp.Input) nodes.get(0).op();
    }

    /** Classes of the last head (every head predicts the same classes). */
    public int classes() {
        return ((NodeOp.Classifier) nodes.get(heads.get(heads.size() - 1).node()).op()).classes();
    }

    private static void check(List<Node> nodes, List<Gate> gates, List<AlphaGroup> alphas, List<Head> heads) {
        if (nodes.isEmpty() || !(nodes.get(0).op() instanceof NodeOp.Input)) {
            throw new IllegalArgumentException("architecture: node 0 must be the input");
        }
        Set<String> names = new HashSet<>();
        int[] gateUses = new int[gates.size()];
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            String where = "architecture node " + i + " '" + n.name() + "': ";
            if (n.id() != i) {
                throw new IllegalArgumentException(where + "id " + n.id() + " is not its position");
            }
            if (!names.add(n.name())) {
                throw new IllegalArgumentException(where + "name used twice");
            }
            if (i > 0 && n.op() instanceof NodeOp.Input) {
                throw new IllegalArgumentException(where + "a second input");
            }
            if (n.gate() < -1 || n.gate() >= gates.size()) {
                throw new IllegalArgumentException(where + "gate " + n.gate() + " does not exist");
            }
            List<Shape> in = new ArrayList<>();
            for (int src : n.inputs()) {
                if (src < 0 || src >= i) {
                    throw new IllegalArgumentException(where + "input " + src + " is not an earlier node");
                }
                in.add(nodes.get(src).shape());
            }
            Shape inferred;
            try {
                inferred = n.op().infer(in);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + e.getMessage(), e);
            }
            if (!inferred.equals(n.shape())) {
                throw new IllegalArgumentException(where + "recorded shape " + n.shape() + " but " + n.op().kind()
                        + " gives " + inferred);
            }
            if (n.op() instanceof NodeOp.GatedSum s) {
                for (int g : s.gates()) {
                    if (g < 0 || g >= gates.size()) {
                        throw new IllegalArgumentException(where + "gate " + g + " does not exist");
                    }
                    gateUses[g]++;
                }
            }
            if (n.op() instanceof NodeOp.WeightedSum s) {
                checkMixing(where, s, alphas);
            }
        }
        for (int g = 0; g < gates.size(); g++) {
            if (gateUses[g] != 1) {
                throw new IllegalArgumentException("architecture: gate " + gates.get(g).label() + " is used by "
                        + gateUses[g] + " gated sums, not 1");
            }
        }
        Set<String> groups = new HashSet<>();
        for (AlphaGroup g : alphas) {
            if (!groups.add(g.name())) {
                throw new IllegalArgumentException("architecture: alpha group '" + g.name() + "' declared twice");
            }
        }
        if (heads.isEmpty()) {
            throw new IllegalArgumentException("architecture: no classifier head");
        }
        for (Head h : heads) {
            if (h.node() < 0 || h.node() >= nodes.size() || !(nodes.get(h.node()).op() instanceof NodeOp.Classifier)) {
                throw new IllegalArgumentException("architecture: head at node " + h.node() + " is not a classifier");
            }
        }
    }

    private static void checkMixing(String where, NodeOp.WeightedSum s, List<AlphaGroup> alphas) {
        if (s.group() < 0 || s.group() >= alphas.size()) {
            throw new IllegalArgumentException(where + "alpha group " + s.group() + " does not exist");
        }
        AlphaGroup g = alphas.get(s.group());
        Set<Long> seen = new HashSet<>();
        for (int j = 0; j < s.rows().size(); j++) {
            int row = s.rows().get(j);
            int choice = s.choices().get(j);
            if (row < 0 || row >= g.rows() || choice < 0 || choice >= g.width()) {
                throw new IllegalArgumentException(where + "input " + j + " reads row " + row + ", choice " + choice
                        + " outside alpha group '" + g.name() + "' (" + g.rows() + " x " + g.width() + ")");
            }
            if (!seen.add(((long) row << 32) | choice)) {
                throw new IllegalArgumentException(where + "row " + row + ", choice " + choice + " read twice");
            }
        }
    }
}
