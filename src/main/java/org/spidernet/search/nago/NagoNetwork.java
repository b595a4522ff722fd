package org.spidernet.search.nago;

import org.spidernet.graph.InputSpec;
import org.spidernet.graph.ir.Architecture;
import org.spidernet.graph.random.RandomDag;

import java.util.List;

/**
 * One network a NAGO generator drew: a top-level graph of cells, each cell in a stage (stage s
 * runs at {@code channels} x 2^s and halves the resolution s times), each a {@link CellGraph}.
 * The top graph's inputs read the stem; its outputs are summed (brought to the last stage) into
 * the classifier.
 */
public record NagoNetwork(InputSpec input, int channels, RandomDag top, List<Integer> stages, List<CellGraph> cells) {
    /** Stages of a NAGO network, as in the paper (channel ratios 1, 2, 4). */
    public static final int STAGES = 3;
    /** Most nodes a graph of any level may have (NAGO draws 3 to 10). */
    public static final int MAX_NODES = 64;
    /** Widest base width (stage 2 is four times wider). */
    public static final int MAX_CHANNELS = 4096;

    public NagoNetwork {
        stages = List.copyOf(stages);
        cells = List.copyOf(cells);
        if (input == null || channels < 1 || channels > MAX_CHANNELS) {
            throw new IllegalArgumentException("NAGO network: needs an input and channels in 1.." + MAX_CHANNELS + ", got "
                    + channels);
        }
        if (stages.size() != top.nodes() || cells.size() != top.nodes()) {
            throw new IllegalArgumentException("NAGO network: " + stages.size() + " stages and " + cells.size() + " cells for "
                    + top.nodes() + " top-level nodes");
        }
        for (int v = 0; v < top.nodes(); v++) {
            int s = stages.get(v);
            if (s < 0 || s >= STAGES) {
                throw new IllegalArgumentException("NAGO network: cell " + v + " is in stage " + s + ", not 0.." + (STAGES - 1));
            }
            for (int u : top.predecessors(v)) {
                if (stages.get(u) > s) {
                    throw new IllegalArgumentException("NAGO network: cell " + v + " (stage " + s + ") reads cell " + u
                            + " of a later stage " + stages.get(u));
                }
            }
        }
    }

    /** The width of stage {@code s}. */
    public int width(int s) {
        return channels << s;
    }

    public Architecture lower() {
        return NagoLowering.network(this);
    }
}
