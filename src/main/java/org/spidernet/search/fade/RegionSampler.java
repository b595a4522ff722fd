package org.spidernet.search.fade;

import org.spidernet.graph.dag.Dag;
import org.spidernet.graph.dag.DagEdits;
import org.spidernet.graph.dag.DagLibrary;
import org.spidernet.graph.ir.AlphaGroup;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Draws a region around a centre: at every stage the centre's cell first, then N-1 other cells,
 * each a random walk of {@code radius} library edits from a parent drawn uniformly from that
 * stage's parents (the centre in the first generation, the step's best-ranked cells later).
 * Where the neighbourhood is too small for N distinct cells, the rest come uniformly from the
 * library. A pure function of its arguments.
 */
public final class RegionSampler {
    /** Walks tried per missing candidate before falling back to the whole library. */
    private static final int WALKS_PER_CANDIDATE = 50;

    private RegionSampler() {
    }

    /** A cell per stage drawn uniformly from the library: the centre a search (or a rank check) starts from. */
    public static List<Dag> randomCentre(int stages, DagLibrary library, Random rnd) {
        List<Dag> centre = new ArrayList<>();
        for (int s = 0; s < stages; s++) {
            centre.add(library.get(rnd.nextInt(library.size())));
        }
        return centre;
    }

    /** Refuses regions of more cells per stage than the library holds (no N distinct cells to draw). */
    public static void requireRoom(int candidates, DagLibrary library) {
        if (library.size() < candidates) {
            throw new IllegalArgumentException("fade option cells (" + candidates + ") exceeds the " + library.size()
                    + " cells of the DAG library (" + library.minVertices() + ".." + library.maxVertices() + " vertices)");
        }
    }

    public static FadeRegion sample(FadeSkeleton skeleton, List<Dag> centre, List<List<Dag>> parents, int candidates,
                                    int radius, DagLibrary library, AlphaGroup.Mixing mixing, long seed) {
        requireRoom(candidates, library);
        Random rnd = new Random(seed);
        List<List<Dag>> stages = new ArrayList<>();
        for (int s = 0; s < skeleton.size(); s++) {
            Set<Dag> cells = new LinkedHashSet<>();
            cells.add(centre.get(s).canonical());
            List<Dag> from = parents.get(s);
            for (int tries = 0; cells.size() < candidates && tries < WALKS_PER_CANDIDATE * candidates; tries++) {
                Dag parent = from.get(rnd.nextInt(from.size()));
                cells.add(DagEdits.randomWalk(parent, radius, library.minVertices(), library.maxVertices(), rnd).canonical());
            }
            while (cells.size() < candidates) {
                cells.add(library.get(rnd.nextInt(library.size())));
            }
            stages.add(new ArrayList<>(cells));
        }
        return new FadeRegion(skeleton, stages, mixing);
    }
}
