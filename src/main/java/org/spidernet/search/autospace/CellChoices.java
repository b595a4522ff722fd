package org.spidernet.search.autospace;

import java.util.ArrayList;
import java.util.HashSet;
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
            if (cells.get(l).size() != k) {
                throw new IllegalArgumentException("AutoSpace choices: every layer needs the same number of cells, layer " + l
                        + " has " + cells.get(l).size() + " and layer 0 " + k);
            }
            if (new HashSet<>(cells.get(l)).size() != k) {
                throw new IllegalArgumentException("AutoSpace choices: layer " + l + " lists a cell twice");
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
