package org.spidernet.search.darts;

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

/** Derived DARTS networks ({@link DartsNetwork}) as runs record, train and report them. */
public final class DartsSpace implements ArchitectureSpace {
    public static final String NAME = "darts";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String fileName() {
        return "genotype.json";
    }

    @Override
    public Architecture lower(String json) {
        return DartsNetworkJson.read(json).lower();
    }

    /** Both cells in {@code genotype.dot} and, where Graphviz is installed, rendered. */
    @Override
    public Optional<CellDiagram.Written> draw(String json, Path dir) throws IOException {
        return Optional.of(CellDiagram.render(GenotypeDiagram.toDot(DartsNetworkJson.read(json).genotype()), dir,
                "genotype", Graphviz.onPath()));
    }

    @Override
    public Map<String, Object> describe(String json) {
        DartsNetwork n = DartsNetworkJson.read(json);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layers", n.skeleton().layers());
        m.put("channels", n.skeleton().channels());
        for (boolean reduction : new boolean[]{false, true}) {
            List<String> edges = new ArrayList<>();
            for (Genotype.Edge e : n.genotype().cell(reduction)) {
                edges.add(e.op().jsonName() + "<-" + e.from());
            }
            m.put(reduction ? "reduce" : "normal", edges);
        }
        return m;
    }
}
