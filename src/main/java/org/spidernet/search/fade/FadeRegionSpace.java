package org.spidernet.search.fade;

import org.spidernet.graph.ir.Architecture;
import org.spidernet.io.CellDiagram;
import org.spidernet.search.ArchitectureSpace;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** FaDE regions ({@link FadeRegion}): what a FaDE search's checkpoints hold while it trains one. */
public final class FadeRegionSpace implements ArchitectureSpace {
    public static final String NAME = "fade-region";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String fileName() {
        return "region.json";
    }

    @Override
    public Architecture lower(String json) {
        return FadeJson.readRegion(json).lower();
    }

    /** A region is N cells per stage side by side: its architectures are drawn one by one, not the supernet. */
    @Override
    public Optional<CellDiagram.Written> draw(String json, Path dir) {
        return Optional.empty();
    }

    @Override
    public Map<String, Object> describe(String json) {
        FadeRegion r = FadeJson.readRegion(json);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stages", r.skeleton().size());
        m.put("candidates_per_stage", r.width());
        m.put("architectures", Math.pow(r.width(), r.skeleton().size()));
        m.put("mixing", r.mixing().name().toLowerCase(java.util.Locale.ROOT));
        return m;
    }
}
