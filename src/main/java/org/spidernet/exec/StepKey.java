package org.spidernet.exec;

import java.util.BitSet;
import java.util.List;

/**
 * The host state a bound network's step depends on besides its tensors: training or evaluation
 * mode, which gates are open, which are pruned, and each gate's path scale. Two steps with equal
 * keys queue the same ops with the same arguments, so a step captured under one key
 * ({@link org.spidernet.backend.Backend#capture}) replays correctly for every step with that key
 * once the step's tensors (input, labels, drop-path masks, learning rate) are uploaded.
 */
public record StepKey(boolean training, BitSet open, BitSet pruned, List<Double> pathScale) {

    public StepKey {
        open = (BitSet) open.clone();
        pruned = (BitSet) pruned.clone();
        pathScale = List.copyOf(pathScale);
    }

    @Override
    public BitSet open() {
        return (BitSet) open.clone();
    }

    @Override
    public BitSet pruned() {
        return (BitSet) pruned.clone();
    }
}
