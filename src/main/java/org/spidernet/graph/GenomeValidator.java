package org.spidernet.graph;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The rules a genome must satisfy; each failure names the element that breaks it. */
final class GenomeValidator {
    private GenomeValidator() {
    }

    static void check(InputSpec input, int channels, int reductions, List<Cell> cells) {
        if (input == null) {
            throw new InvalidGenomeException("genome: input spec missing");
        }
        try {
            GenomeRanges.checkChannels(channels);
            GenomeRanges.checkReductions(reductions);
        } catch (IllegalArgumentException e) {
            throw new InvalidGenomeException("genome: " + e.getMessage());
        }
        if ((long) channels << reductions > GenomeRanges.MAX_CHANNELS) {
            throw new InvalidGenomeException("genome: channels " + channels + " doubled " + reductions
                    + " times exceeds " + GenomeRanges.MAX_CHANNELS);
        }
        if (cells.size() != reductions + 1) {
            throw new InvalidGenomeException("genome: " + reductions + " reductions need " + (reductions + 1)
                    + " cells, found " + cells.size());
        }
        for (int k = 0; k < cells.size(); k++) {
            checkCell(k, cells.get(k));
        }
    }

    private static void checkCell(int k, Cell c) {
        String where = "cell " + k;
        if (c == null) {
            throw new InvalidGenomeException(where + ": missing");
        }
        if (c.index() != k) {
            throw new InvalidGenomeException(where + ": index field says " + c.index());
        }
        if (c.inputs() != k + 1) {
            throw new InvalidGenomeException(where + ": must have " + (k + 1) + " input nodes (dense inputs), found " + c.inputs());
        }
        if (c.nodes() < c.inputs() + 1) {
            throw new InvalidGenomeException(where + ": needs at least one node beyond its " + c.inputs()
                    + " inputs, has " + c.nodes() + " nodes");
        }
        if (c.edges().isEmpty()) {
            throw new InvalidGenomeException(where + ": has no edges");
        }
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < c.edges().size(); i++) {
            Edge e = c.edges().get(i);
            String ew = where + " edge " + e.from() + "->" + e.to();
            if (e.to() >= c.nodes() || e.from() >= c.nodes()) {
                throw new InvalidGenomeException(ew + ": node index out of range (cell has " + c.nodes() + " nodes)");
            }
            if (c.isInputNode(e.to())) {
                throw new InvalidGenomeException(ew + ": enters input node " + e.to());
            }
            if (e.from() >= e.to()) {
                throw new InvalidGenomeException(ew + ": edges must go from a lower to a higher node index");
            }
            if (e.from() == c.outputNode()) {
                throw new InvalidGenomeException(ew + ": leaves the output node");
            }
            if (!seen.add(((long) e.from() << 32) | e.to())) {
                throw new InvalidGenomeException(ew + ": duplicate edge");
            }
        }
        // every non-input node computes a sum of its incoming edges, so it needs at least one
        for (int n = c.inputs(); n < c.nodes(); n++) {
            if (c.incoming(n).isEmpty()) {
                throw new InvalidGenomeException(where + " node " + n + ": has no incoming edge");
            }
        }
        boolean[] reaches = Reachability.reachesOutput(c, false);
        for (int n = c.inputs(); n < c.outputNode(); n++) {
            if (!reaches[n]) {
                throw new InvalidGenomeException(where + " node " + n + ": has no path to the output node");
            }
        }
    }
}
