package org.spidernet.search.autospace;

import org.spidernet.graph.ir.Architecture;
import org.spidernet.io.CellDiagram;
import org.spidernet.io.Graphviz;
import org.spidernet.search.ArchitectureSpace;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** AutoSpace networks ({@link AutoNetwork}: a cell per layer of the target) as runs record, train and report them. */
public final class AutoSpaceSpace implements ArchitectureSpace {
    public static final String NAME = "autospace";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String fileName() {
        return "autospace-network.json";
    }

    @Override
    public Architecture lower(String json) {
        return AutoSpaceJson.readNetwork(json).lower();
    }

    @Override
    public Optional<CellDiagram.Written> draw(String json, Path dir) throws IOException {
        return Optional.of(CellDiagram.render(AutoSpaceDiagram.toDot(AutoSpaceJson.readNetwork(json)), dir, "cells",
                Graphviz.onPath()));
    }

    @Override
    public Map<String, Object> describe(String json) {
        AutoNetwork n = AutoSpaceJson.readNetwork(json);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layers", n.target().size());
        m.put("edges", n.cells().stream().mapToInt(c -> c.edges().size()).sum());
        m.put("cells", n.cells().stream().map(AutoCell::code).toList());
        return m;
    }
}
