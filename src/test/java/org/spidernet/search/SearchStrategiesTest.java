package org.spidernet.search;

import org.junit.jupiter.api.Test;
import org.spidernet.backend.reference.ReferenceBackend;
import org.spidernet.data.ImageDataset;
import org.spidernet.graph.Genome;
import org.spidernet.graph.InputSpec;
import org.spidernet.search.random.RandomSearch;
import org.spidernet.search.spidernet.SpiderNetStrategy;
import org.spidernet.train.SyntheticImages;
import org.spidernet.train.TrainConfig;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The strategy and space registries, and a built-in strategy honouring the context's limits. */
class SearchStrategiesTest {

    @Test
    void theBuiltInStrategiesAreRegisteredByName() {
        List<String> names = SearchStrategies.names();
        assertTrue(names.containsAll(List.of("random", "spidernet")), names.toString());
        assertEquals(names.stream().sorted().toList(), names, "listed by name");
        assertInstanceOf(SpiderNetStrategy.class, SearchStrategies.byName("spidernet"));
        assertInstanceOf(RandomSearch.class, SearchStrategies.byName("random"));
        assertEquals(SearchDefaults.STRATEGY, SearchStrategies.byName(SearchDefaults.STRATEGY).name());
        for (SearchStrategy s : SearchStrategies.all()) {
            assertFalse(s.description().isBlank() || s.description().contains("\n"), s.name() + ": one-line description");
        }
    }

    @Test
    void anUnknownNameIsOneLineNamingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SearchStrategies.byName("spidernett"));
        assertTrue(e.getMessage().startsWith("unknown search strategy 'spidernett' (known: "), e.getMessage());
        assertTrue(e.getMessage().contains("random") && e.getMessage().contains("spidernet"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void aRunOfAnUnknownStrategyIsRefusedBeforeItStarts() {
        ImageDataset data = SyntheticImages.make(16, 3, 8, 1);
        TrainConfig tc = new TrainConfig(1, 8, 0.05, 0.9, 3e-4, 0.2, 1, true, 3, 0.5, 0.05, true, 1, 0.3, 0, 1, false);
        SearchConfig cfg = new SearchConfig(1, 2, 1, tc, 1, 1L << 40, 1, SearchDefaults.METRICS, 1,
                new ScoringScale(1, 6, 1, 12), "nope", 1);
        try (ReferenceBackend b = new ReferenceBackend()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new SearchRun(cfg, b, data, data, data, null, null));
            assertTrue(e.getMessage().startsWith("unknown search strategy 'nope'"), e.getMessage());
        }
    }

    @Test
    void spiderNetsSpaceSamplesFromItsSeedAndRoundTripsItsJson() {
        SearchSpace space = SearchSpaces.byName(SearchDefaults.SPACE);
        assertEquals("spidernet", space.name());
        TrainConfig tc = new TrainConfig(1, 8, 0.05, 0.9, 3e-4, 0.2, 1, true, 3, 0.5, 0.05, true, 1, 0.3, 0, 1, false);
        SearchConfig cfg = new SearchConfig(1, 4, 1, tc, 1, 1L << 40, 1, SearchDefaults.METRICS, 1,
                new ScoringScale(1, 6, 1, 12), "spidernet", 1);
        Genome initial = space.initial(new InputSpec(1, 8, 8, 3), cfg);
        assertEquals(Genome.initial(new InputSpec(1, 8, 8, 3), 4, 1), initial);
        MemoryBudget budget = new MemoryBudget(1L << 40, 8, Double.BYTES);
        Genome a = space.sample(initial, 6, budget, 42);
        assertEquals(a, space.sample(initial, 6, budget, 42), "a sample is a function of its seed");
        boolean differs = false;
        for (long seed = 0; seed < 8 && !differs; seed++) {
            differs = !space.sample(initial, 6, budget, seed).equals(a);
        }
        assertTrue(differs, "other seeds draw other samples");
        assertEquals(a, space.decode(space.encode(a)));
        assertNotEquals(space.encode(initial), space.encode(a));
        long initialPeak = budget.plannedPeak(initial);
        MemoryBudget tight = budget.withBytes(initialPeak);
        for (long seed = 0; seed < 8; seed++) {
            assertTrue(tight.fits(space.sample(initial, 6, tight, seed)), "a sample fits its budget, seed " + seed);
        }
    }

    @Test
    void spiderNetStopsOnTheContextsImageLimit() {
        long seed = 5;
        ImageDataset data = SyntheticImages.make(48, 3, 8, seed);
        TrainConfig tc = new TrainConfig(1, 8, 0.05, 0.9, 3e-4, 0.2, 1, true, 3, 0.5, 0.05, true, 1, 0.3, 0, seed, false);
        SearchConfig cfg = new SearchConfig(1, 2, 4, tc, 1, 1L << 40, 1, List.of("ntk_centred", "lrc"), 1,
                new ScoringScale(1, 6, 1, 12), "spidernet", seed);
        try (ReferenceBackend b = new ReferenceBackend()) {
            SearchRun run = new SearchRun(cfg, SearchStrategies.byName("spidernet"), b, data.subset(0, 32),
                    data.subset(32, 40), data.subset(40, 48),
                    new MetricCandidateScorer(b, data.subset(0, 32), cfg.metrics(), cfg.inits(), cfg.scoring()), null,
                    new SearchLimits(32, Double.POSITIVE_INFINITY));
            SearchRun.Result r = run.run(null);
            assertEquals(1, r.iterations());
            assertEquals("image limit reached (32 training images seen, limit 32)", r.stopReason());
        }
    }
}
