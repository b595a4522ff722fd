package org.spidernet.search.fade;

import org.junit.jupiter.api.Test;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.dag.Dag;
import org.spidernet.graph.dag.DagEdits;
import org.spidernet.graph.dag.DagLibrary;
import org.spidernet.graph.ir.AlphaGroup;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Regions drawn around a centre: the centre's cell first at every stage, distinct library cells,
 * each within {@code radius} edits of one of the stage's parents (checked by a breadth-first walk
 * of the edit neighbourhood here), and the same region for the same seed.
 */
class RegionSamplerTest {

    @Test
    void candidatesAreTheCentreThenDistinctCellsNearTheParents() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        DagLibrary lib = DagLibrary.fade();
        FadeSkeleton sk = FadeSkeleton.of(InputSpec.FASHION_MNIST, 3, 2, 2);
        List<Dag> centre = List.of(lib.get(r.nextInt(lib.size())), lib.get(r.nextInt(lib.size())), lib.get(r.nextInt(lib.size())));
        List<List<Dag>> parents = List.of(List.of(centre.get(0)), List.of(centre.get(1), lib.get(r.nextInt(lib.size()))),
                List.of(lib.get(r.nextInt(lib.size()))));
        int radius = 1 + r.nextInt(2);
        FadeRegion region = RegionSampler.sample(sk, centre, parents, 5, radius, lib, AlphaGroup.Mixing.SOFTMAX, seed);
        for (int s = 0; s < 3; s++) {
            List<Dag> cells = region.candidates().get(s);
            assertEquals(centre.get(s).canonical(), cells.get(0), "seed " + seed);
            assertEquals(5, new HashSet<>(cells).size(), "seed " + seed);
            Set<Dag> near = within(parents.get(s), radius, lib);
            for (Dag d : cells.subList(1, cells.size())) {
                assertTrue(lib.contains(d), "seed " + seed + ": " + d.code());
                assertTrue(near.contains(d), "seed " + seed + ": " + d.code() + " is more than " + radius + " edits from "
                        + parents.get(s));
            }
        }
        assertEquals(region, RegionSampler.sample(sk, centre, parents, 5, radius, lib, AlphaGroup.Mixing.SOFTMAX, seed));
    }

    private static Set<Dag> within(List<Dag> from, int radius, DagLibrary lib) {
        Set<Dag> seen = new HashSet<>();
        for (Dag d : from) {
            seen.add(d.canonical());
        }
        Set<Dag> frontier = new HashSet<>(seen);
        for (int k = 0; k < radius; k++) {
            Set<Dag> next = new HashSet<>();
            for (Dag d : frontier) {
                next.addAll(DagEdits.neighbours(d, lib.minVertices(), lib.maxVertices()));
            }
            next.removeAll(seen);
            seen.addAll(next);
            frontier = next;
        }
        return seen;
    }
}
