package org.spidernet.search.fade;

import org.spidernet.graph.dag.Dag;
import org.spidernet.graph.ir.AlphaGroup;
import org.spidernet.graph.ir.Architecture;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * A finite region of FaDE's space: N candidate cells per stage, mixed by one row of architecture
 * weights per stage, so one supernet of S x N cells covers the N^S architectures that pick one
 * candidate per stage. Candidates of a stage are distinct (up to isomorphism).
 */
public record FadeRegion(FadeSkeleton skeleton, List<List<Dag>> candidates, AlphaGroup.Mixing mixing) {
    /** The supernet's alpha group: row s mixes the candidates of stage s. */
    public static final String ALPHAS = "fade";
    /** Most candidate cells a stage may hold. */
    public static final int MAX_WIDTH = 16;

    /** The range of the candidates per stage; {@code what} names the setting in the message. */
    public static void checkWidth(int width, String what) {
        if (width < 2 || width > MAX_WIDTH) {
            throw new IllegalArgumentException(what + " must be in 2.." + MAX_WIDTH + ", got " + width);
        }
    }

    public FadeRegion {
        if (mixing == null) {
            throw new IllegalArgumentException("FaDE region: mixing missing");
        }
        List<List<Dag>> copy = new ArrayList<>();
        for (List<Dag> stage : candidates) {
            copy.add(List.copyOf(stage));
        }
        candidates = List.copyOf(copy);
        if (candidates.size() != skeleton.size()) {
            throw new IllegalArgumentException("FaDE region: candidates for " + candidates.size() + " stages, the skeleton has "
                    + skeleton.size());
        }
        int n = candidates.get(0).size();
        checkWidth(n, "FaDE region: candidate cells per stage");
        for (int s = 0; s < candidates.size(); s++) {
            List<Dag> stage = candidates.get(s);
            if (stage.size() != n) {
                throw new IllegalArgumentException("FaDE region: every stage needs the same number of candidate cells, stage "
                        + s + " has " + stage.size() + " and stage 0 " + n);
            }
            HashSet<Dag> seen = new HashSet<>();
            for (Dag d : stage) {
                if (!seen.add(d.canonical())) {
                    throw new IllegalArgumentException("FaDE region: stage " + s + " lists cell " + d.code() + " twice (up to isomorphism)");
                }
            }
        }
    }

    /** Candidate cells per stage. */
    public int width() {
        return candidates.get(0).size();
    }

    /** The architecture that picks candidate {@code picks[s]} at stage s. */
    public FadeNetwork architecture(int[] picks) {
        if (picks.length != skeleton.size()) {
            throw new IllegalArgumentException("FaDE region: " + picks.length + " picks for " + skeleton.size() + " stages");
        }
        List<Dag> cells = new ArrayList<>();
        for (int s = 0; s < picks.length; s++) {
            cells.add(candidates.get(s).get(picks[s]));
        }
        return new FadeNetwork(skeleton, cells);
    }

    public Architecture lower() {
        return FadeLowering.region(this);
    }
}
