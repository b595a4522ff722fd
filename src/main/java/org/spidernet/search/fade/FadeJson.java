package org.spidernet.search.fade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.InvalidGenomeException;
import org.spidernet.graph.FormatJson;
import org.spidernet.graph.StrictJson;
import org.spidernet.graph.dag.Dag;
import org.spidernet.graph.ir.AlphaGroup;

import java.util.ArrayList;
import java.util.List;

/**
 * The JSON forms of FaDE's networks. One architecture ({@code fade-network.json}): format
 * {@value #NETWORK_FORMAT} and version, the input, and per stage its width, whether it reduces and
 * its cell as a DAG code ({@code "4:0-1,0-2,1-3,2-3"}: vertices, then edges from -> to, see
 * {@link Dag#code()}). A region ({@code region.json}, what a search checkpoint trains): format
 * {@value #REGION_FORMAT}, the same stages with a list of candidate cells each, and the mixing
 * ({@code softmax} or {@code gumbel}). Read strictly; errors give the JSON path, e.g.
 * {@code stages[1].cell: ...}.
 */
public final class FadeJson {
    public static final String NETWORK_FORMAT = "fade-network";
    public static final String REGION_FORMAT = "fade-region";
    public static final int VERSION = 1;

    private FadeJson() {
    }

    public static String write(FadeNetwork n) {
        ObjectNode root = header(NETWORK_FORMAT, n.skeleton().input());
        ArrayNode stages = root.putArray("stages");
        for (int s = 0; s < n.skeleton().size(); s++) {
            stage(stages, n.skeleton().stage(s)).put("cell", n.cells().get(s).code());
        }
        return FormatJson.write(root);
    }

    public static String write(FadeRegion r) {
        ObjectNode root = header(REGION_FORMAT, r.skeleton().input());
        root.put("mixing", FormatJson.name(r.mixing()));
        ArrayNode stages = root.putArray("stages");
        for (int s = 0; s < r.skeleton().size(); s++) {
            ArrayNode cells = stage(stages, r.skeleton().stage(s)).putArray("cells");
            r.candidates().get(s).forEach(d -> cells.add(d.code()));
        }
        return FormatJson.write(root);
    }

    public static FadeNetwork readNetwork(String json) {
        JsonNode root = FormatJson.read(json, "FaDE", NETWORK_FORMAT, VERSION);
        JsonNode stages = StrictJson.array(root, "stages", "");
        List<Dag> cells = new ArrayList<>();
        for (int s = 0; s < stages.size(); s++) {
            String path = "stages[" + s + "]";
            cells.add(dag(StrictJson.element(stages.get(s), path), "cell", path + "."));
        }
        return FormatJson.build(() -> new FadeNetwork(skeleton(root, stages), cells));
    }

    public static FadeRegion readRegion(String json) {
        JsonNode root = FormatJson.read(json, "FaDE", REGION_FORMAT, VERSION);
        AlphaGroup.Mixing mixingFound = FormatJson.mixing(root);
        JsonNode stages = StrictJson.array(root, "stages", "");
        List<List<Dag>> candidates = new ArrayList<>();
        for (int s = 0; s < stages.size(); s++) {
            String path = "stages[" + s + "]";
            JsonNode list = StrictJson.array(StrictJson.element(stages.get(s), path), "cells", path + ".");
            List<Dag> cells = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                cells.add(parse(list.get(i), path + ".cells[" + i + "]"));
            }
            candidates.add(cells);
        }
        return FormatJson.build(() -> new FadeRegion(skeleton(root, stages), candidates, mixingFound));
    }

    private static ObjectNode header(String format, InputSpec input) {
        return FormatJson.header(format, VERSION, input);
    }

    private static ObjectNode stage(ArrayNode stages, FadeStage st) {
        ObjectNode o = stages.addObject();
        o.put("channels", st.channels());
        o.put("reduction", st.reduction());
        return o;
    }

    private static FadeSkeleton skeleton(JsonNode root, JsonNode stages) {
        InputSpec input = StrictJson.input(root);
        List<FadeStage> list = new ArrayList<>();
        for (int s = 0; s < stages.size(); s++) {
            String path = "stages[" + s + "].";
            JsonNode st = stages.get(s);
            JsonNode reduction = StrictJson.field(st, "reduction", path);
            if (!reduction.isBoolean()) {
                throw new InvalidGenomeException(path + "reduction: expected true or false, found " + reduction);
            }
            int channels = StrictJson.integer(st, "channels", path);
            list.add(FormatJson.build(() -> new FadeStage(channels, reduction.booleanValue())));
        }
        return FormatJson.build(() -> new FadeSkeleton(input, list));
    }

    private static Dag dag(JsonNode parent, String name, String path) {
        return parse(StrictJson.field(parent, name, path), path + name);
    }

    private static Dag parse(JsonNode n, String path) {
        if (n == null || !n.isTextual()) {
            throw new InvalidGenomeException(path + ": expected a DAG code such as \"3:0-1,1-2\", found " + n);
        }
        try {
            return Dag.parse(n.asText());
        } catch (IllegalArgumentException e) {
            throw new InvalidGenomeException(path + ": " + e.getMessage());
        }
    }
}
