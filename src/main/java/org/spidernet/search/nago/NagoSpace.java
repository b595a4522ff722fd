package org.spidernet.search.nago;

import org.spidernet.graph.ir.Architecture;
import org.spidernet.io.CellDiagram;
import org.spidernet.search.ArchitectureSpace;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** NAGO networks ({@link NagoNetwork}: three levels of random graphs) as runs record, train and report them. */
public final class NagoSpace implements ArchitectureSpace {
    public static final String NAME = "nago";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String fileName() {
        return "nago-network.json";
    }

    @Override
    public Architecture lower(String json) {
        return NagoJson.read(json).lower();
    }

    /** Three nested levels of graphs do not draw as one readable diagram; the JSON lists them. */
    @Override
    public Optional<CellDiagram.Written> draw(String json, Path dir) {
        return Optional.empty();
    }

    @Override
    public Map<String, Object> describe(String json) {
        NagoNetwork n = NagoJson.read(json);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cells", n.top().nodes());
        m.put("channels", n.channels());
        int nodes = 0;
        int ops = 0;
        for (CellGraph c : n.cells()) {
            nodes += c.nodes().size();
            for (OpGraph g : c.nodes()) {
                ops += g.ops().size();
            }
        }
        m.put("cell_nodes", nodes);
        m.put("ops", ops);
        return m;
    }
}
