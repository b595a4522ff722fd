package org.spidernet.search.darts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.data.ImageDataset;
import org.spidernet.graph.InputSpec;
import org.spidernet.search.AlphaRecord;
import org.spidernet.search.SampledSpace;
import org.spidernet.search.SampledSpaces;
import org.spidernet.search.ScoringScale;
import org.spidernet.search.SearchCheckpoint;
import org.spidernet.search.SearchConfig;
import org.spidernet.search.SpaceNetwork;
import org.spidernet.search.fade.FadeJson;
import org.spidernet.search.fade.FadeRegion;
import org.spidernet.search.fade.FadeRegionSpace;
import org.spidernet.search.fade.FadeSpace;
import org.spidernet.search.fade.RegionFiles;
import org.spidernet.train.SyntheticImages;
import org.spidernet.train.TrainConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DARTS pointed at a FaDE region file ({@code search --space}) on small synthetic data: it trains
 * the region as its supernet, reports the region's alphas after every epoch, finds the
 * architecture of each stage's strongest candidate under the final alphas, resumes from disk to
 * the same network, and refuses a space without a supernet and a supernet over the memory budget,
 * naming the space.
 */
class DartsOverSpaceTest {
    private static final long SEED = 977L;
    private static final int EPOCHS = 2;

    private static SearchConfig config(Path region, long budget) {
        TrainConfig tc = new TrainConfig(1, 8, 0.025, 0.9, 3e-4, 0, 1, true, 0, 0.5, 0.05, true, 1, 0.3, 0, SEED, true);
        return new SearchConfig(1, 2, EPOCHS, tc, 1, budget, 1, List.of("ntk_centred", "lrc"), 1,
                new ScoringScale(1, 6, 1, 12), DartsStrategy.NAME, SEED)
                .withOptions(Map.of("layers", "3", "mixing", "softmax", "tau-max", "5", "tau-min", "0.5",
                        "arch-lr", "0.05", "arch-weight-decay", "0.001", "order", "1"))
                .withSpace(region.toString());
    }

    @Test
    void findsEachStagesStrongestCandidateAndResumesFromDiskToIt(@TempDir Path tmp) throws IOException {
        ImageDataset data = SyntheticImages.make(48, 3, 8, SEED);
        FadeRegion region = RegionFiles.tiny(new InputSpec(1, 8, 8, 3));
        SearchConfig cfg = config(RegionFiles.write(tmp.resolve("region.json"), region), 1L << 40);
        DartsSearchTest.Run full = DartsSearchTest.run(cfg, data, null, -1, null);
        assertEquals(EPOCHS, full.result().history().size());
        assertEquals(FadeRegionSpace.NAME, full.snapshots().get(0).network().space(), "the supernet is the region");
        assertEquals(EPOCHS, full.alphas().size(), "the region's one group after each epoch");
        AlphaRecord last = full.alphas().get(EPOCHS - 1);
        assertEquals(FadeRegion.ALPHAS, last.group());
        assertEquals(2, last.weights().length, "a row per stage");
        int[] picks = new int[last.weights().length];
        for (int r = 0; r < picks.length; r++) {
            double[] row = last.weights()[r];
            assertEquals(3, row.length);
            for (int c = 1; c < row.length; c++) {
                if (row[c] > row[picks[r]]) {
                    picks[r] = c;
                }
            }
        }
        assertTrue(picks[0] != 0 || picks[1] != 0, "this seed's alphas favour later candidates; all-first would prove little");
        assertEquals(FadeSpace.NAME, full.result().network().space());
        assertEquals(FadeJson.write(region.architecture(picks)), full.result().network().json());
        assertTrue(full.result().params() > 0 && full.result().test().accuracy() >= 0);

        Path dir = tmp.resolve("crash");
        DartsSearchTest.run(cfg, data, null, 1, dir);
        DartsSearchTest.Run resumed = DartsSearchTest.run(SearchCheckpoint.config(dir), data, SearchCheckpoint.read(dir), -1, null);
        assertEquals(full.result().network(), resumed.result().network());
        assertEquals(full.result().test().accuracy(), resumed.result().test().accuracy(), 0.0);
        assertArrayEquals(last.weights()[1], resumed.alphas().get(resumed.alphas().size() - 1).weights()[1], 0.0);
    }

    @Test
    void aSpaceWithoutASupernetIsRefusedAndOneWithIsTaken(@TempDir Path tmp) {
        SampledSpace noSupernet = new SampledSpace() {
            @Override
            public String description() {
                return "a space of loose networks";
            }

            @Override
            public SpaceNetwork sample(long seed) {
                throw new UnsupportedOperationException("not drawn here");
            }
        };
        SearchConfig cfg = config(tmp.resolve("unused.json"), 1L << 40);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DartsStrategy().validateSpace(noSupernet, cfg));
        assertEquals("--space: a space of loose networks has no supernet (it is not a finite chain of choices), "
                + "so DARTS cannot search it", e.getMessage());
        Path file = RegionFiles.write(tmp.resolve("region.json"), RegionFiles.tiny(new InputSpec(1, 8, 8, 3)));
        new DartsStrategy().validateSpace(SampledSpaces.open(file.toString(), new InputSpec(1, 8, 8, 3), cfg), cfg);
    }

    @Test
    void theFirstOfEqualAlphasIsPicked() {
        assertArrayEquals(new int[]{0, 2, 1}, DartsStrategy.strongest(new double[]{1, 1, 0, 0, 1, 2, 3, 5, 5}, 3, 3));
    }

    @Test
    void aSupernetOverTheMemoryBudgetIsRefusedNamingTheSpace(@TempDir Path tmp) {
        ImageDataset data = SyntheticImages.make(48, 3, 8, SEED);
        Path file = RegionFiles.write(tmp.resolve("region.json"), RegionFiles.tiny(new InputSpec(1, 8, 8, 3)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DartsSearchTest.run(config(file, 1024), data, null, -1, null));
        assertTrue(e.getMessage().startsWith("the supernet of FaDE region of 2 stages x 3 candidate cells (9 architectures) from "
                + file + " plans a training peak of"), e.getMessage());
        assertTrue(e.getMessage().contains("--batch") && e.getMessage().contains("--memory"), e.getMessage());
    }
}
