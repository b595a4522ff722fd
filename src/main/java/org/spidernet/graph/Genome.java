package org.spidernet.graph;

import java.util.ArrayList;
import java.util.List;

/**
 * A whole network of the SpiderNet search space: stem, {@code reductions + 1} cells with dense
 * inputs, and one head per cell. Immutable; every constructor call is validated by
 * {@link GenomeValidator}, so a Genome object is always a legal network.
 *
 * <p>Geometry follows from three numbers: cell k runs at {@code channels << k} channels; cell 0
 * keeps the image resolution and every later cell halves it (ceiling division on odd sizes) on
 * the edges that leave its input nodes.
 */
public record Genome(InputSpec input, int channels, int reductions, List<Cell> cells) {

    /** Version of the JSON form written by {@link GenomeJson}. */
    public static final int FORMAT_VERSION = 1;

    public Genome {
        cells = List.copyOf(cells);
        GenomeValidator.check(input, channels, reductions, cells);
    }

    /** The network the search starts from: every cell in its initial two-step shape. */
    public static Genome initial(InputSpec input, int channels, int reductions) {
        List<Cell> cells = new ArrayList<>();
        for (int k = 0; k <= reductions; k++) {
            cells.add(Cell.initial(k, k + 1));
        }
        return new Genome(input, channels, reductions, cells);
    }

    public Cell cell(int k) {
        return cells.get(k);
    }

    public Genome withCell(Cell replacement) {
        List<Cell> list = new ArrayList<>(cells);
        list.set(replacement.index(), replacement);
        return new Genome(input, channels, reductions, list);
    }

    /** Channel count of cell k (C, 2C, 4C, ...). */
    public int cellChannels(int k) {
        return channels << k;
    }

    /** Resolution level of cell k's output: how many halvings from the image (0 for cell 0, k after). */
    public static int outputLevel(int k) {
        return k;
    }

    /** Resolution level of cell k's input nodes: the level of cell k-1's output (0 for cell 0). */
    public static int inputLevel(int k) {
        return k == 0 ? 0 : k - 1;
    }

    /** Level of the tensor that feeds input node i of any cell: the stem (i = 0) or cell i-1. */
    public static int sourceLevel(int inputNode) {
        return inputNode == 0 ? 0 : outputLevel(inputNode - 1);
    }

    /** Channels of the tensor that feeds input node i: the stem's C or cell i-1's. */
    public int sourceChannels(int inputNode) {
        return inputNode == 0 ? channels : cellChannels(inputNode - 1);
    }

    /** Extent of an image axis after {@code level} ceiling halvings (28 -> 14 -> 7 -> 4). */
    public static int extentAt(int imageExtent, int level) {
        int e = imageExtent;
        for (int i = 0; i < level; i++) {
            e = (e + 1) / 2;
        }
        return e;
    }

    public int edgeCount() {
        int n = 0;
        for (Cell c : cells) {
            n += c.edges().size();
        }
        return n;
    }
}
