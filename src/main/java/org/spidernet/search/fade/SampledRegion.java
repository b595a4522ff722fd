package org.spidernet.search.fade;

import org.spidernet.graph.ir.AlphaGroup;
import org.spidernet.search.ChoiceSupernet;
import org.spidernet.search.SampledSpace;
import org.spidernet.search.SpaceNetwork;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * A FaDE region read from {@code file} as a space to search ({@code search --space FILE}): its
 * samples take one candidate per stage, each uniformly at random, and its supernet is the region
 * under the mixing DARTS asks for (the file's own mixing only says how FaDE trained it).
 */
record SampledRegion(FadeRegion region, Path file) implements SampledSpace {

    @Override
    public String description() {
        return String.format(Locale.ROOT, "FaDE region of %d stages x %d candidate cells (%.0f architectures) from %s",
                region.skeleton().size(), region.width(), Math.pow(region.width(), region.skeleton().size()), file);
    }

    @Override
    public SpaceNetwork sample(long seed) {
        Random rnd = new Random(seed);
        int[] picks = new int[region.skeleton().size()];
        for (int s = 0; s < picks.length; s++) {
            picks[s] = rnd.nextInt(region.width());
        }
        return new RegionSupernet(region).pick(picks);
    }

    @Override
    public Optional<ChoiceSupernet> supernet(AlphaGroup.Mixing mixing) {
        return Optional.of(new RegionSupernet(new FadeRegion(region.skeleton(), region.candidates(), mixing)));
    }
}
