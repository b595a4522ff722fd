package org.spidernet.search.spidernet;

import org.spidernet.graph.Cell;
import org.spidernet.graph.Genome;
import org.spidernet.graph.GenomeJson;
import org.spidernet.graph.GenomeLowering;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.ir.Architecture;
import org.spidernet.io.CellDiagram;
import org.spidernet.search.MemoryBudget;
import org.spidernet.search.SearchConfig;
import org.spidernet.search.SearchSpace;
import org.spidernet.search.SpaceNetwork;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * SpiderNet's space: stacks of normal and reduction cells whose edges carry subsets of the seven
 * candidate ops, grown by edge splits from the initial net ({@link Genome#initial}); JSON is
 * {@link GenomeJson}'s and a random architecture is {@link RandomArchitecture}'s.
 */
public final class SpiderNetSpace implements SearchSpace {

    @Override
    public String name() {
        return SpaceNetwork.SPIDERNET;
    }

    @Override
    public String fileName() {
        return "genome.json";
    }

    @Override
    public Architecture lower(String json) {
        return GenomeLowering.lower(GenomeJson.read(json));
    }

    /** The cells as Graphviz DOT ({@code cells.dot}) and, where Graphviz is installed, images. */
    @Override
    public Optional<CellDiagram.Written> draw(String json, Path dir) throws IOException {
        return Optional.of(CellDiagram.write(GenomeJson.read(json), dir, "cells"));
    }

    @Override
    public Map<String, Object> describe(String json) {
        Genome g = GenomeJson.read(json);
        int ops = 0;
        for (Cell c : g.cells()) {
            ops += c.opCount();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("edges", g.edgeCount());
        m.put("ops", ops);
        return m;
    }

    @Override
    public Genome initial(InputSpec input, SearchConfig cfg) {
        return Genome.initial(input, cfg.channels(), cfg.reductions());
    }

    /** {@code maxSteps} is the largest number of edge splits drawn. */
    @Override
    public Genome sample(Genome from, int maxSteps, MemoryBudget budget, long seed) {
        return RandomArchitecture.sample(from, maxSteps, budget, seed);
    }

    @Override
    public String encode(Genome architecture) {
        return GenomeJson.write(architecture);
    }

    @Override
    public Genome decode(String json) {
        return GenomeJson.read(json);
    }
}
