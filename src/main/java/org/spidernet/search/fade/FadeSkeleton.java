package org.spidernet.search.fade;

import org.spidernet.graph.InputSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * The fixed frame of FaDE's hierarchical space: the input and a chain of stages, each of which
 * holds one cell (a {@link FadeNetwork}) or N candidate cells (a {@link FadeRegion}). The last
 * {@code reductions} stages halve the resolution and double the width on entry, as SpiderNet's
 * and DARTS's reduction cells do.
 */
public record FadeSkeleton(InputSpec input, List<FadeStage> stages) {
    /** Most stages a skeleton may have: a region's architectures are N^S, ranked by enumeration. */
    public static final int MAX_STAGES = 8;

    public FadeSkeleton {
        if (input == null) {
            throw new IllegalArgumentException("FaDE skeleton: input missing");
        }
        stages = List.copyOf(stages);
        if (stages.isEmpty() || stages.size() > MAX_STAGES) {
            throw new IllegalArgumentException("FaDE skeleton: needs 1 to " + MAX_STAGES + " stages, got " + stages.size());
        }
    }

    /**
     * {@code stages} stages, the first at {@code channels}, the last {@code reductions} of them
     * reducing (each doubling the width).
     */
    public static FadeSkeleton of(InputSpec input, int stages, int channels, int reductions) {
        checkStages(stages, "fade option stages");
        checkReductions(reductions, stages);
        if (channels < 1) {
            throw new IllegalArgumentException("--channels must be >= 1, got " + channels);
        }
        List<FadeStage> list = new ArrayList<>();
        int c = channels;
        for (int s = 0; s < stages; s++) {
            boolean reduction = s >= stages - reductions;
            if (reduction) {
                c *= 2;
            }
            list.add(new FadeStage(c, reduction));
        }
        return new FadeSkeleton(input, list);
    }

    /** The range of the stage count; {@code what} names the setting in the message. */
    public static void checkStages(int stages, String what) {
        if (stages < 1 || stages > MAX_STAGES) {
            throw new IllegalArgumentException(what + " must be in 1.." + MAX_STAGES + ", got " + stages);
        }
    }

    /** Reducing stages: any but the first. */
    public static void checkReductions(int reductions, int stages) {
        if (reductions < 0 || reductions >= stages) {
            throw new IllegalArgumentException("--reductions must be in 0.." + (stages - 1) + " for " + stages
                    + " FaDE stages (the first stage never reduces), got " + reductions);
        }
    }

    public int size() {
        return stages.size();
    }

    public FadeStage stage(int s) {
        return stages.get(s);
    }
}
