package org.spidernet.search.autospace;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** For tests: which single-edge mutation turns one cell into another, if any. */
enum CellEdit {
    /** One edge's op changed; its source and target kept. */
    OP,
    /** One edge's source changed; its op and target kept. */
    SOURCE;

    /** The edit from {@code parent} to {@code child}; empty unless they differ in exactly one edge by one of the two kinds. */
    static Optional<CellEdit> between(AutoCell parent, AutoCell child) {
        List<AutoCell.Edge> removed = new ArrayList<>(parent.edges());
        removed.removeAll(child.edges());
        List<AutoCell.Edge> added = new ArrayList<>(child.edges());
        added.removeAll(parent.edges());
        if (removed.size() != 1 || added.size() != 1) {
            return Optional.empty();
        }
        AutoCell.Edge was = removed.get(0);
        AutoCell.Edge is = added.get(0);
        if (was.to() != is.to()) {
            return Optional.empty();
        }
        if (was.from() == is.from() && was.op() != is.op()) {
            return Optional.of(OP);
        }
        if (was.from() != is.from() && was.op() == is.op()) {
            return Optional.of(SOURCE);
        }
        return Optional.empty();
    }
}
