package org.spidernet.search.autospace;

import java.util.ArrayList;
import java.util.List;

/**
 * K candidate cells per layer of the target: what one evolution step mixes, and what a learned
 * space offers (its K^L networks pick one cell per layer). Candidates of a layer are distinct;
 * every layer has the same K, so one alpha group of L rows mixes them.
 */
public record CellChoices(TargetNetwork target, List<List<AutoCell>> cells) {
    /** Most cells a layer may mix. */
    public static final int MAX_WIDTH = 16;

    public CellChoices {
        List<List<AutoCell>> copy = new ArrayList<>();
        for (List<AutoCell> layer : cells) {
            copy.add(List.copyOf(layer));
        }
        cells = List.copyOf(copy);
        if (cells.size() != target.size()) {
            throw new IllegalArgumentException("AutoSpace choices: cells for " + cells.size() + " layers, the target has "
                    + target.size());
        }
        int k = cells.get(0).size();
        checkWidth(k, "AutoSpace choices: cells per layer");
        for (int l = 0; l < cells.size(); l++) {
            try {
                checkLayer(cells.get(l), k);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("AutoSpace choices: layer " + l + ": " + e.getMessage());
            }
        }
    }

    /** One layer's rule: {@code width} cells (every layer mixes as many as the first), none listed twice. */
    public static void checkLayer(List<AutoCell> cells, int width) {
        if (cells.size() != width) {
            throw new IllegalArgumentException(cells.size() + (cells.size() == 1 ? " cell" : " cells") + ", the first layer has "
                    + width + " (every layer mixes the same number)");
        }
        for (int k = 1; k < cells.size(); k++) {
            int first = cells.subList(0, k).indexOf(cells.get(k));
            if (first >= 0) {
                throw new IllegalArgumentException("cells " + first + " and " + k + " are the same cell");
            }
        }
    }

    /** The range of cells per layer; {@code what} names the setting in the message. */
    public static void checkWidth(int k, String what) {
        if (k < 2 || k > MAX_WIDTH) {
            throw new IllegalArgumentException(what + " must be in 2.." + MAX_WIDTH + ", got " + k);
        }
    }

    /** Cells per layer. */
    public int width() {
        return cells.get(0).size();
    }

    /** The network that takes cell {@code picks[l]} at layer l. */
    public AutoNetwork network(int[] picks) {
        if (picks.length != target.size()) {
            throw new IllegalArgumentException("AutoSpace choices: " + picks.length + " picks for " + target.size() + " layers");
        }
        List<AutoCell> list = new ArrayList<>();
        for (int l = 0; l < picks.length; l++) {
            list.add(cells.get(l).get(picks[l]));
        }
        return new AutoNetwork(target, list);
    }
}
