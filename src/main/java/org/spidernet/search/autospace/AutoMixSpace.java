package org.spidernet.search.autospace;

import org.spidernet.graph.ir.Architecture;
import org.spidernet.io.CellDiagram;
import org.spidernet.search.ArchitectureSpace;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** AutoSpace supernets ({@link AutoMix}): what a step's checkpoints and DARTS over a learned space hold while training. */
public final class AutoMixSpace implements ArchitectureSpace {
    public static final String NAME = "autospace-mix";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String fileName() {
        return "mix.json";
    }

    @Override
    public Architecture lower(String json) {
        return AutoSpaceJson.readMix(json).lower();
    }

    /** K cells per layer side by side: their networks are drawn one by one, not the supernet. */
    @Override
    public Optional<CellDiagram.Written> draw(String json, Path dir) {
        return Optional.empty();
    }

    @Override
    public Map<String, Object> describe(String json) {
        AutoMix m = AutoSpaceJson.readMix(json);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("layers", m.choices().target().size());
        out.put("cells_per_layer", m.choices().width());
        out.put("edges", m.choices().cells().stream().flatMap(java.util.List::stream).mapToInt(c -> c.edges().size()).sum());
        out.put("networks", Math.pow(m.choices().width(), m.choices().target().size()));
        out.put("mixing", m.mixing().name().toLowerCase(Locale.ROOT));
        return out;
    }
}
