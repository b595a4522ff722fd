package org.spidernet.search.fade;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.ir.AlphaGroup;
import org.spidernet.search.ChoiceSupernet;
import org.spidernet.search.SampledSpace;
import org.spidernet.search.SampledSpaces;
import org.spidernet.search.ScoringScale;
import org.spidernet.search.SearchConfig;
import org.spidernet.search.SpaceNetwork;
import org.spidernet.train.TrainConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FaDE region files as spaces for {@code search --space}: samples are the region's architectures,
 * drawn from their seed alone and covering the region; the supernet is the region under the
 * mixing asked for and picks its architectures; a file that is no region falls through to the
 * error listing the known spaces, a broken region or one for other images names the file.
 */
class RegionFileProviderTest {
    private static final InputSpec INPUT = new InputSpec(1, 8, 8, 3);
    private static final SearchConfig CFG = new SearchConfig(1, 2, 1, TrainConfig.spiderNetDefaults(1), 1, 1L << 30, 1,
            List.of("ntk_centred"), 1, new ScoringScale(1, 6, 1, 12), "random", 1);

    @Test
    void samplesAreTheRegionsArchitecturesDrawnFromTheirSeed(@TempDir Path tmp) {
        FadeRegion region = RegionFiles.tiny(INPUT);
        Path file = RegionFiles.write(tmp.resolve("region.json"), region);
        SampledSpace space = SampledSpaces.open(file.toString(), INPUT, CFG);
        assertTrue(space.description().contains(file.toString()) && space.description().contains("9 architectures"),
                space.description());
        Set<String> all = RegionFiles.architectures(region);
        assertEquals(9, all.size());
        Set<String> drawn = new HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            SpaceNetwork n = space.sample(seed);
            assertEquals(FadeSpace.NAME, n.space());
            assertTrue(all.contains(n.json()), "seed " + seed + " drew a network outside the region");
            assertEquals(n, space.sample(seed), "seed " + seed + " drew two networks");
            drawn.add(n.json());
        }
        assertEquals(all, drawn, "200 draws should reach all 9 architectures");
        assertNotEquals(space.sample(1), space.sample(2), "seeds 1 and 2 happen to differ; a constant draw would not");
    }

    @Test
    void theSupernetIsTheRegionUnderTheAskedMixingAndPicksItsArchitectures(@TempDir Path tmp) {
        FadeRegion region = RegionFiles.tiny(INPUT);
        SampledSpace space = SampledSpaces.open(RegionFiles.write(tmp.resolve("r.json"), region).toString(), INPUT, CFG);
        ChoiceSupernet s = space.supernet(AlphaGroup.Mixing.GUMBEL).orElseThrow();
        assertEquals(FadeRegion.ALPHAS, s.alphaGroup());
        assertEquals(FadeRegionSpace.NAME, s.network().space());
        FadeRegion read = FadeJson.readRegion(s.network().json());
        assertEquals(AlphaGroup.Mixing.GUMBEL, read.mixing());
        assertEquals(region.candidates(), read.candidates());
        assertEquals(new SpaceNetwork(FadeSpace.NAME, FadeJson.write(region.architecture(new int[]{2, 1}))),
                s.pick(new int[]{2, 1}));
    }

    @Test
    void theBenchmarkRegionOpensForFashionMnist() {
        SampledSpace space = SampledSpaces.open("benchmarks/twin-fade-region.json", InputSpec.FASHION_MNIST, CFG);
        assertTrue(space.description().contains("3 stages x 2 candidate cells"), space.description());
    }

    @Test
    void otherFilesFallThroughAndBrokenOrMismatchedRegionsNameTheFile(@TempDir Path tmp) throws Exception {
        for (String garbage : List.of("hello", "{\"format\": \"something-else\"}", "[1, 2]", "")) {
            Path f = Files.writeString(tmp.resolve("g.json"), garbage);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SampledSpaces.open(f.toString(), INPUT, CFG));
            assertTrue(e.getMessage().startsWith("--space '" + f + "': neither a known space"), e.getMessage());
        }
        assertTrue(new RegionFileProvider().open(tmp.resolve("missing.json").toString(), INPUT, CFG).isEmpty());
        assertTrue(new RegionFileProvider().open("autospace", INPUT, CFG).isEmpty());

        String good = FadeJson.write(RegionFiles.tiny(INPUT));
        Path broken = Files.writeString(tmp.resolve("broken.json"), good.replaceFirst("\"3:0-1,1-2\"", "\"3:0-1,1-0\""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SampledSpaces.open(broken.toString(), INPUT, CFG));
        assertTrue(e.getMessage().startsWith(broken + ": not a valid FaDE region: stages[0].cells[0]"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());

        Path other = RegionFiles.write(tmp.resolve("other.json"), RegionFiles.tiny(new InputSpec(3, 8, 8, 3)));
        e = assertThrows(IllegalArgumentException.class, () -> SampledSpaces.open(other.toString(), INPUT, CFG));
        assertEquals(other + ": the FaDE region takes 3x8x8 (3 classes) images, the data has 1x8x8 (3 classes)", e.getMessage());
    }
}
