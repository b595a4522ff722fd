package org.spidernet.search.fade;

import org.spidernet.graph.ir.Architecture;
import org.spidernet.io.CellDiagram;
import org.spidernet.io.Graphviz;
import org.spidernet.search.ArchitectureSpace;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** FaDE architectures ({@link FadeNetwork}: a library cell per stage) as runs record, train and report them. */
public final class FadeSpace implements ArchitectureSpace {
    public static final String NAME = "fade";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String fileName() {
        return "fade-network.json";
    }

    @Override
    public Architecture lower(String json) {
        return FadeJson.readNetwork(json).lower();
    }

    @Override
    public Optional<CellDiagram.Written> draw(String json, Path dir) throws IOException {
        return Optional.of(CellDiagram.render(FadeDiagram.toDot(FadeJson.readNetwork(json)), dir, "cells", Graphviz.onPath()));
    }

    @Override
    public Map<String, Object> describe(String json) {
        FadeNetwork n = FadeJson.readNetwork(json);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stages", n.skeleton().size());
        m.put("channels", n.skeleton().stage(0).channels());
        List<String> cells = new ArrayList<>();
        int edges = 0;
        for (var d : n.cells()) {
            cells.add(d.code());
            edges += d.edgeCount();
        }
        m.put("cells", cells);
        m.put("conv_edges", edges);
        return m;
    }
}
