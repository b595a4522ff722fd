package org.spidernet.graph;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A directed edge {@code from -> to} inside a cell, carrying the set of ops that are still alive on
 * it. Every live op sits behind its own gate; an op that pruning removed is simply absent (it has
 * become {@code zero}). An edge with no ops outputs zeros until dead-end removal deletes it.
 * Ops are kept in canonical order and without duplicates, so equal edges compare equal.
 */
public record Edge(int from, int to, List<OpType> ops) {

    public Edge {
        if (from < 0 || to < 0) {
            throw new IllegalArgumentException("edge " + from + "->" + to + ": negative node index");
        }
        EnumSet<OpType> set = EnumSet.noneOf(OpType.class);
        for (OpType op : ops) {
            if (op == OpType.ZERO) {
                continue; // "zero" names the absence of an op
            }
            if (!set.add(op)) {
                throw new IllegalArgumentException("edge " + from + "->" + to + ": op '" + op + "' listed twice");
            }
        }
        ops = List.copyOf(set);
    }

    /** A new edge with all seven candidate ops. */
    public static Edge full(int from, int to) {
        return new Edge(from, to, OpType.CANDIDATES);
    }

    public Edge withEnds(int newFrom, int newTo) {
        return new Edge(newFrom, newTo, ops);
    }

    /** This edge without the given ops (what pruning leaves). */
    public Edge without(Set<OpType> removed) {
        List<OpType> kept = new ArrayList<>(ops);
        kept.removeAll(removed);
        return new Edge(from, to, kept);
    }

    public boolean isEmpty() {
        return ops.isEmpty();
    }

    @Override
    public String toString() {
        return from + "->" + to + ops;
    }
}
