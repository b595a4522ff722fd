package org.spidernet.search.fade;

import org.spidernet.graph.InputSpec;
import org.spidernet.graph.InvalidGenomeException;
import org.spidernet.search.ChoiceChain;
import org.spidernet.search.SampledSpace;
import org.spidernet.search.SampledSpaceProvider;
import org.spidernet.search.SearchConfig;
import org.spidernet.search.SpaceFile;
import org.spidernet.search.SpaceNetwork;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Opens a FaDE region file ({@code region.json}, e.g. a FaDE checkpoint's or
 * {@code benchmarks/twin-fade-region.json}) for {@code search --space FILE}. A file that is not
 * JSON with format {@value FadeJson#REGION_FORMAT} is another provider's to judge; one that says it
 * is a region but does not read as one, or whose input is not the data's, is refused naming the file.
 */
public final class RegionFileProvider implements SampledSpaceProvider {
    /** Regions come from files only. */
    @Override
    public List<String> names() {
        return List.of();
    }

    @Override
    public Optional<SampledSpace> open(String spec, InputSpec input, SearchConfig cfg) {
        Optional<SpaceFile> file = SpaceFile.of(spec).filter(f -> f.claims(FadeJson.REGION_FORMAT));
        if (file.isEmpty()) {
            return Optional.empty();
        }
        FadeRegion region;
        try {
            region = FadeJson.readRegion(file.get().text());
        } catch (InvalidGenomeException e) {
            throw new IllegalArgumentException(file.get().path() + ": not a valid FaDE region: " + e.getMessage(), e);
        }
        file.get().requireInput("FaDE region", region.skeleton().input(), input);
        // the region's own mixing only says how FaDE trained it: the supernet takes the mixing DARTS asks for
        return Optional.of(new ChoiceChain(String.format(Locale.ROOT,
                "FaDE region of %d stages x %d candidate cells (%.0f architectures) from %s", region.skeleton().size(),
                region.width(), Math.pow(region.width(), region.skeleton().size()), file.get().path()),
                region.skeleton().size(), region.width(), FadeRegion.ALPHAS,
                picks -> new SpaceNetwork(FadeSpace.NAME, FadeJson.write(region.architecture(picks))),
                mixing -> new SpaceNetwork(FadeRegionSpace.NAME,
                        FadeJson.write(new FadeRegion(region.skeleton(), region.candidates(), mixing)))));
    }
}
