package org.spidernet.search.fade;

import org.spidernet.graph.InputSpec;
import org.spidernet.graph.dag.Dag;
import org.spidernet.graph.ir.AlphaGroup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** A small FaDE region file for tests of {@code search --space}: 2 stages x 3 candidate cells, 2 channels. */
public final class RegionFiles {
    private RegionFiles() {
    }

    /** The region for images of {@code input}: 9 architectures, the second stage reducing. */
    public static FadeRegion tiny(InputSpec input) {
        return new FadeRegion(FadeSkeleton.of(input, 2, 2, 1), List.of(
                List.of(Dag.parse("3:0-1,1-2"), Dag.parse("4:0-1,0-2,1-3,2-3"), Dag.parse("3:")),
                List.of(Dag.parse("4:0-2,1-2,1-3"), Dag.parse("3:0-1,0-2,1-2"), Dag.parse("3:0-1"))),
                AlphaGroup.Mixing.SOFTMAX);
    }

    /** {@code region} written to {@code file} as FaDE's region JSON. */
    public static Path write(Path file, FadeRegion region) {
        try {
            Files.writeString(file, FadeJson.write(region));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The JSON of every architecture of {@code region} (one candidate per stage), as runs record them. */
    public static Set<String> architectures(FadeRegion region) {
        Set<String> out = new TreeSet<>();
        List<int[]> picks = new ArrayList<>();
        picks.add(new int[0]);
        for (int s = 0; s < region.skeleton().size(); s++) {
            List<int[]> longer = new ArrayList<>();
            for (int[] p : picks) {
                for (int c = 0; c < region.width(); c++) {
                    int[] q = java.util.Arrays.copyOf(p, p.length + 1);
                    q[p.length] = c;
                    longer.add(q);
                }
            }
            picks = longer;
        }
        for (int[] p : picks) {
            out.add(FadeJson.write(region.architecture(p)));
        }
        return out;
    }
}
