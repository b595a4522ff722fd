package org.spidernet.search.darts;

import org.spidernet.graph.ir.Architecture;
import org.spidernet.io.CellDiagram;
import org.spidernet.search.ArchitectureSpace;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** DARTS supernets ({@link DartsSupernet}): what a DARTS search's checkpoints hold while it trains one. */
public final class DartsSupernetSpace implements ArchitectureSpace {
    public static final String NAME = "darts-supernet";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String fileName() {
        return "supernet.json";
    }

    @Override
    public Architecture lower(String json) {
        return DartsNetworkJson.readSupernet(json).lower();
    }

    /** A supernet has every op on every edge: there is no cell to draw beyond the skeleton. */
    @Override
    public Optional<CellDiagram.Written> draw(String json, Path dir) {
        return Optional.empty();
    }

    @Override
    public Map<String, Object> describe(String json) {
        DartsSupernet n = DartsNetworkJson.readSupernet(json);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layers", n.skeleton().layers());
        m.put("channels", n.skeleton().channels());
        m.put("mixing", n.mixing().name().toLowerCase(java.util.Locale.ROOT));
        return m;
    }
}
