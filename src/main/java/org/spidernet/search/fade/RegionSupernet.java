package org.spidernet.search.fade;

import org.spidernet.search.ChoiceSupernet;
import org.spidernet.search.SpaceNetwork;

/**
 * A FaDE region as the supernet of {@code search --space}: the region itself, whose alpha group
 * {@link FadeRegion#ALPHAS} has one row per stage, and the architecture one candidate per stage
 * picks.
 */
record RegionSupernet(FadeRegion region) implements ChoiceSupernet {

    @Override
    public SpaceNetwork network() {
        return new SpaceNetwork(FadeRegionSpace.NAME, FadeJson.write(region));
    }

    @Override
    public String alphaGroup() {
        return FadeRegion.ALPHAS;
    }

    @Override
    public SpaceNetwork pick(int[] picks) {
        return new SpaceNetwork(FadeSpace.NAME, FadeJson.write(region.architecture(picks)));
    }
}
