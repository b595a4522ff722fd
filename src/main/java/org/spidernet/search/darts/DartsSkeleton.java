package org.spidernet.search.darts;

import org.spidernet.graph.InputSpec;

/**
 * The fixed macro structure around DARTS cells: a 3x3 stem to {@code 3 C} channels, {@code layers}
 * cells of {@value #NODES} inner nodes whose output concatenates them (so a cell outputs
 * {@code 4 C_k} channels), reduction cells at {@code layers / 3} and {@code 2 layers / 3} that
 * double the channels and halve the resolution (ceiling halving on odd extents), then global
 * pooling and a linear classifier.
 */
public record DartsSkeleton(InputSpec input, int channels, int layers) {
    /** Inner nodes per cell. */
    public static final int NODES = 4;
    /** Stem width in units of C. */
    public static final int STEM_MULTIPLIER = 3;
    /** Edges per cell: node i reads the two cell inputs and the i earlier nodes, 2 + 3 + 4 + 5. */
    public static final int EDGES = 14;

    public DartsSkeleton {
        if (input == null) {
            throw new IllegalArgumentException("DARTS skeleton: input missing");
        }
        checkChannels(channels);
        checkLayers(layers);
    }

    /** C must be even (factorized reduce halves it) and in 2..16384. */
    public static void checkChannels(int channels) {
        if (channels < 2 || channels % 2 != 0 || channels > 16384) {
            throw new IllegalArgumentException("DARTS channels must be even and in 2..16384 (factorized reduce halves them), got "
                    + channels);
        }
    }

    /** At least three cells, two of them reduction cells. */
    public static void checkLayers(int layers) {
        if (layers < 3 || layers > 64) {
            throw new IllegalArgumentException("DARTS layers must be in 3..64 (two of them reduction cells), got " + layers);
        }
    }

    public boolean isReduction(int cell) {
        return cell == layers / 3 || cell == 2 * layers / 3;
    }

    /** The alpha row of the edge from state {@code from} (0, 1: the cell inputs; 2..: inner nodes) into inner node {@code node}. */
    public static int edgeRow(int node, int from) {
        if (node < 0 || node >= NODES || from < 0 || from >= node + 2) {
            throw new IllegalArgumentException("no DARTS edge from state " + from + " into node " + node);
        }
        int offset = 0;
        for (int i = 0; i < node; i++) {
            offset += i + 2;
        }
        return offset + from;
    }
}
