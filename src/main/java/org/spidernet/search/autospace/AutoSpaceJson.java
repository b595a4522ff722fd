package org.spidernet.search.autospace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.InvalidGenomeException;
import org.spidernet.graph.FormatJson;
import org.spidernet.graph.StrictJson;
import org.spidernet.graph.ir.AlphaGroup;

import java.util.ArrayList;
import java.util.List;

/**
 * The JSON forms of AutoSpace's networks, each with a format name and version, the input, the
 * stem ({@code channels}, {@code stride}) and per layer its {@code channels} and {@code stride}:
 * <ul>
 * <li>{@value #NETWORK_FORMAT} ({@code autospace-network.json}): a {@code cell} per layer, as
 * {@link AutoCell#code()} writes it ({@code "0>1:sep_conv_3x3 0>2:skip_connect ..."});</li>
 * <li>{@value #MIX_FORMAT} ({@code mix.json}, the supernet a step trains): {@code cells} per layer
 * and the {@code mixing} ({@code softmax} or {@code gumbel});</li>
 * <li>{@value #SPACE_FORMAT} ({@code learned-space.json}, what a search leaves for other
 * strategies): {@code cells} per layer, best first, with their {@code fitness}.</li>
 * </ul>
 * Read strictly; errors give the JSON path, e.g. {@code layers[1].cells[0]: ...}.
 */
public final class AutoSpaceJson {
    public static final String NETWORK_FORMAT = "autospace-network";
    public static final String MIX_FORMAT = "autospace-mix";
    public static final String SPACE_FORMAT = "autospace-space";
    public static final int VERSION = 1;

    private AutoSpaceJson() {
    }

    public static String write(AutoNetwork n) {
        ObjectNode root = header(NETWORK_FORMAT, n.target());
        ArrayNode layers = root.putArray("layers");
        for (int l = 0; l < n.target().size(); l++) {
            layer(layers, n.target().layer(l)).put("cell", n.cells().get(l).code());
        }
        return FormatJson.write(root);
    }

    public static String write(AutoMix m) {
        ObjectNode root = header(MIX_FORMAT, m.choices().target());
        root.put("mixing", FormatJson.name(m.mixing()));
        choices(root, m.choices(), null);
        return FormatJson.write(root);
    }

    public static String write(LearnedSpace s) {
        ObjectNode root = header(SPACE_FORMAT, s.choices().target());
        choices(root, s.choices(), s.fitness());
        return FormatJson.write(root);
    }

    public static AutoNetwork readNetwork(String json) {
        JsonNode root = FormatJson.read(json, "AutoSpace", NETWORK_FORMAT, VERSION);
        JsonNode layers = StrictJson.array(root, "layers", "");
        List<AutoCell> cells = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            String path = "layers[" + l + "]";
            cells.add(cell(StrictJson.field(StrictJson.element(layers.get(l), path), "cell", path + "."), path + ".cell"));
        }
        TargetNetwork target = target(root, layers);
        return FormatJson.build(() -> new AutoNetwork(target, cells));
    }

    public static AutoMix readMix(String json) {
        JsonNode root = FormatJson.read(json, "AutoSpace", MIX_FORMAT, VERSION);
        AlphaGroup.Mixing found = FormatJson.mixing(root);
        CellChoices c = choices(root);
        return FormatJson.build(() -> new AutoMix(c, found));
    }

    /** A learned space; a file of another format is an error naming the format found. */
    public static LearnedSpace readSpace(String json) {
        JsonNode root = FormatJson.read(json, "AutoSpace", SPACE_FORMAT, VERSION);
        CellChoices c = choices(root);
        JsonNode layers = StrictJson.array(root, "layers", "");
        List<double[]> fitness = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            String path = "layers[" + l + "].";
            JsonNode list = StrictJson.array(layers.get(l), "fitness", path);
            double[] f = new double[list.size()];
            for (int k = 0; k < f.length; k++) {
                if (!list.get(k).isNumber() || !Double.isFinite(list.get(k).asDouble())) {
                    throw new InvalidGenomeException(path + "fitness[" + k + "]: expected a finite number, found " + list.get(k));
                }
                f[k] = list.get(k).asDouble();
            }
            FormatJson.at(path + "fitness", () -> LearnedSpace.checkFitness(f, c.width()));
            fitness.add(f);
        }
        return FormatJson.build(() -> new LearnedSpace(c, fitness));
    }

    private static void choices(ObjectNode root, CellChoices c, List<double[]> fitness) {
        ArrayNode layers = root.putArray("layers");
        for (int l = 0; l < c.target().size(); l++) {
            ObjectNode o = layer(layers, c.target().layer(l));
            ArrayNode cells = o.putArray("cells");
            c.cells().get(l).forEach(cell -> cells.add(cell.code()));
            if (fitness != null) {
                ArrayNode f = o.putArray("fitness");
                for (double v : fitness.get(l)) {
                    f.add(v);
                }
            }
        }
    }

    private static CellChoices choices(JsonNode root) {
        JsonNode layers = StrictJson.array(root, "layers", "");
        List<List<AutoCell>> cells = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            String path = "layers[" + l + "]";
            JsonNode list = StrictJson.array(StrictJson.element(layers.get(l), path), "cells", path + ".");
            List<AutoCell> layer = new ArrayList<>();
            for (int k = 0; k < list.size(); k++) {
                layer.add(cell(list.get(k), path + ".cells[" + k + "]"));
            }
            int width = cells.isEmpty() ? layer.size() : cells.get(0).size();
            FormatJson.at(path + ".cells", () -> {
                CellChoices.checkWidth(width, "cells per layer");
                CellChoices.checkLayer(layer, width);
            });
            cells.add(layer);
        }
        TargetNetwork target = target(root, layers);
        return FormatJson.build(() -> new CellChoices(target, cells));
    }

    private static ObjectNode header(String format, TargetNetwork t) {
        ObjectNode root = FormatJson.header(format, VERSION, t.input());
        ObjectNode stem = root.putObject("stem");
        stem.put("channels", t.stemChannels());
        stem.put("stride", t.stemStride());
        return root;
    }

    private static ObjectNode layer(ArrayNode layers, TargetLayer l) {
        ObjectNode o = layers.addObject();
        o.put("channels", l.channels());
        o.put("stride", l.stride());
        return o;
    }

    private static TargetNetwork target(JsonNode root, JsonNode layers) {
        InputSpec input = StrictJson.input(root);
        JsonNode stem = StrictJson.object(root, "stem", "");
        int stemChannels = StrictJson.integer(stem, "channels", "stem.");
        int stemStride = StrictJson.integer(stem, "stride", "stem.");
        FormatJson.at("stem", () -> TargetNetwork.checkStem(stemChannels, stemStride));
        List<TargetLayer> list = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            String path = "layers[" + l + "].";
            int channels = StrictJson.integer(layers.get(l), "channels", path);
            int stride = StrictJson.integer(layers.get(l), "stride", path);
            FormatJson.at(path.substring(0, path.length() - 1), () -> list.add(new TargetLayer(channels, stride)));
        }
        FormatJson.at("layers", () -> TargetNetwork.checkLayers(input, stemStride, list));
        return FormatJson.build(() -> new TargetNetwork(input, stemChannels, stemStride, list));
    }

    private static AutoCell cell(JsonNode n, String path) {
        if (n == null || !n.isTextual()) {
            throw new InvalidGenomeException(path + ": expected a cell such as \"0>1:sep_conv_3x3 0>2:skip_connect ...\", found " + n);
        }
        try {
            return AutoCell.parse(n.asText());
        } catch (IllegalArgumentException e) {
            throw new InvalidGenomeException(path + ": " + e.getMessage());
        }
    }
}
