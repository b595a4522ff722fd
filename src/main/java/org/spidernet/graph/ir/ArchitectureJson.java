package org.spidernet.graph.ir;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.spidernet.graph.InvalidGenomeException;
import org.spidernet.graph.FormatJson;
import org.spidernet.graph.StrictJson;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The architecture IR as JSON ({@value #FORMAT} version {@value #VERSION}): what a tool outside
 * the engine (the PyTorch twin) needs to rebuild any network of any space without knowing the
 * space. Every node is written with its id, name, op (a tag below) and the op's attributes, its
 * inputs, its inferred shape and its gate; then the gates (with their labels, the names their
 * weights are saved under), the alpha groups and the heads.
 *
 * <p>Op tags and attributes: {@code input} (channels, height, width), {@code conv} (out_channels,
 * kernel, stride, padding, dilation, groups), {@code batch_norm}, {@code relu}, {@code pool}
 * (mode max|avg, kernel, stride, padding), {@code subsample} (stride, offset), {@code identity},
 * {@code sum}, {@code concat}, {@code gated_sum} (gates), {@code weighted_sum} (group, rows,
 * choices), {@code classifier} (classes). A declared shape (gated and weighted sums) is the
 * node's shape.
 *
 * <p>Reading checks the whole graph again ({@link Architecture}'s constructor); a malformed file
 * is an {@link InvalidGenomeException} naming the JSON path, e.g. {@code nodes[3].kernel: missing}.
 */
public final class ArchitectureJson {
    public static final String FORMAT = "spidernet-architecture";
    public static final int VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ArchitectureJson() {
    }

    public static String write(Architecture a) {
        try {
            return MAPPER.writeValueAsString(toTree(a)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the architecture", e);
        }
    }

    public static ObjectNode toTree(Architecture a) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        ArrayNode nodes = root.putArray("nodes");
        for (Node n : a.nodes()) {
            ObjectNode o = nodes.addObject();
            o.put("id", n.id());
            o.put("name", n.name());
            putOp(o, n.op());
            ArrayNode in = o.putArray("inputs");
            n.inputs().forEach(in::add);
            putShape(o.putArray("shape"), n.shape());
            o.put("gate", n.gate());
        }
        ArrayNode gates = root.putArray("gates");
        for (Gate g : a.gates()) {
            ObjectNode o = gates.addObject();
            o.put("label", g.label());
            o.put("cell", g.cell());
            o.put("from", g.from());
            o.put("to", g.to());
            o.put("op", g.op());
            o.put("droppable", g.droppable());
        }
        ArrayNode groups = root.putArray("alpha_groups");
        for (AlphaGroup g : a.alphas()) {
            ObjectNode o = groups.addObject();
            o.put("name", g.name());
            o.put("rows", g.rows());
            ArrayNode c = o.putArray("choices");
            g.choices().forEach(c::add);
            o.put("mixing", g.mixing().name().toLowerCase(Locale.ROOT));
        }
        ArrayNode heads = root.putArray("heads");
        for (Head h : a.heads()) {
            ObjectNode o = heads.addObject();
            o.put("node", h.node());
            o.put("loss_weight", h.lossWeight());
        }
        return root;
    }

    private static void putOp(ObjectNode o, NodeOp op) {
        if (op instanceof NodeOp.Input in) {
            o.put("op", "input");
            o.put("channels", in.channels());
            o.put("height", in.height());
            o.put("width", in.width());
        } else if (op instanceof NodeOp.Conv c) {
            o.put("op", "conv");
            o.put("out_channels", c.outChannels());
            ConvGeometry g = c.geometry();
            o.put("kernel", g.kernel());
            o.put("stride", g.stride());
            o.put("padding", g.padding());
            o.put("dilation", g.dilation());
            o.put("groups", g.groups());
        } else if (op instanceof NodeOp.BatchNorm) {
            o.put("op", "batch_norm");
        } else if (op instanceof NodeOp.Relu) {
            o.put("op", "relu");
        } else if (op instanceof NodeOp.Pool p) {
            o.put("op", "pool");
            o.put("mode", p.max() ? "max" : "avg");
            o.put("kernel", p.geometry().kernel());
            o.put("stride", p.geometry().stride());
            o.put("padding", p.geometry().padding());
        } else if (op instanceof NodeOp.Subsample s) {
            o.put("op", "subsample");
            o.put("stride", s.stride());
            o.put("offset", s.offset());
        } else if (op instanceof NodeOp.Identity) {
            o.put("op", "identity");
        } else if (op instanceof NodeOp.Sum) {
            o.put("op", "sum");
        } else if (op instanceof NodeOp.Concat) {
            o.put("op", "concat");
        } else if (op instanceof NodeOp.GatedSum s) {
            o.put("op", "gated_sum");
            ArrayNode g = o.putArray("gates");
            s.gates().forEach(g::add);
        } else if (op instanceof NodeOp.WeightedSum s) {
            o.put("op", "weighted_sum");
            o.put("group", s.group());
            ArrayNode r = o.putArray("rows");
            s.rows().forEach(r::add);
            ArrayNode c = o.putArray("choices");
            s.choices().forEach(c::add);
        } else if (op instanceof NodeOp.Classifier c) {
            o.put("op", "classifier");
            o.put("classes", c.classes());
        } else {
            throw new IllegalArgumentException("no JSON form for op " + op.kind());
        }
    }

    private static void putShape(ArrayNode a, Shape s) {
        a.add(s.channels());
        if (s.isMap()) {
            a.add(s.height());
            a.add(s.width());
        }
    }

    // ------------------------------------------------------------------ reading

    public static Architecture read(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidGenomeException("architecture JSON is not valid JSON: " + org.spidernet.graph.StrictJson.describe(e));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidGenomeException("architecture JSON must be an object");
        }
        return fromTree(root);
    }

    public static Architecture fromTree(JsonNode root) {
        String format = StrictJson.text(root, "format", "");
        if (!FORMAT.equals(format)) {
            throw new InvalidGenomeException("format: expected '" + FORMAT + "', found '" + org.spidernet.io.Quoted.of(format) + "'");
        }
        int version = StrictJson.integer(root, "version", "");
        if (version != VERSION) {
            throw new InvalidGenomeException("version: this engine reads " + FORMAT + " version " + VERSION
                    + ", file has " + version);
        }
        List<Gate> gates = new ArrayList<>();
        JsonNode gs = StrictJson.array(root, "gates", "");
        for (int i = 0; i < gs.size(); i++) {
            String p = "gates[" + i + "]";
            JsonNode g = StrictJson.element(gs.get(i), p);
            gates.add(FormatJson.at(p, () -> new Gate(StrictJson.integer(g, "cell", p + "."), StrictJson.integer(g, "from", p + "."),
                    StrictJson.integer(g, "to", p + "."), StrictJson.text(g, "op", p + "."), bool(g, "droppable", p + "."))));
        }
        List<AlphaGroup> groups = new ArrayList<>();
        JsonNode as = StrictJson.array(root, "alpha_groups", "");
        for (int i = 0; i < as.size(); i++) {
            String p = "alpha_groups[" + i + "]";
            JsonNode g = StrictJson.element(as.get(i), p);
            List<String> choices = new ArrayList<>();
            JsonNode cs = StrictJson.array(g, "choices", p + ".");
            for (int j = 0; j < cs.size(); j++) {
                if (!cs.get(j).isTextual()) {
                    throw new InvalidGenomeException(p + ".choices[" + j + "]: expected a string, found " + cs.get(j));
                }
                choices.add(cs.get(j).asText());
            }
            AlphaGroup.Mixing mixing = mixing(StrictJson.text(g, "mixing", p + "."), p + ".mixing");
            groups.add(FormatJson.at(p, () -> new AlphaGroup(StrictJson.text(g, "name", p + "."),
                    StrictJson.integer(g, "rows", p + "."), choices, mixing)));
        }
        List<Node> nodes = new ArrayList<>();
        JsonNode ns = StrictJson.array(root, "nodes", "");
        for (int i = 0; i < ns.size(); i++) {
            String p = "nodes[" + i + "]";
            JsonNode n = StrictJson.element(ns.get(i), p);
            NodeOp op = FormatJson.at(p, () -> op(n, p + "."));
            nodes.add(new Node(StrictJson.integer(n, "id", p + "."), StrictJson.text(n, "name", p + "."), op,
                    ints(n, "inputs", p + "."), shape(n, p + "."), StrictJson.integer(n, "gate", p + ".")));
        }
        List<Head> heads = new ArrayList<>();
        JsonNode hs = StrictJson.array(root, "heads", "");
        for (int i = 0; i < hs.size(); i++) {
            String p = "heads[" + i + "]";
            JsonNode h = StrictJson.element(hs.get(i), p);
            JsonNode w = StrictJson.field(h, "loss_weight", p + ".");
            if (!w.isNumber()) {
                throw new InvalidGenomeException(p + ".loss_weight: expected a number, found " + w);
            }
            heads.add(FormatJson.at(p, () -> new Head(StrictJson.integer(h, "node", p + "."), w.doubleValue())));
        }
        return FormatJson.at("architecture", () -> new Architecture(nodes, gates, groups, heads));
    }

    private static NodeOp op(JsonNode n, String p) {
        String tag = StrictJson.text(n, "op", p);
        return switch (tag) {
            case "input" -> new NodeOp.Input(StrictJson.integer(n, "channels", p), StrictJson.integer(n, "height", p),
                    StrictJson.integer(n, "width", p));
            case "conv" -> new NodeOp.Conv(StrictJson.integer(n, "out_channels", p), new ConvGeometry(
                    StrictJson.integer(n, "kernel", p), StrictJson.integer(n, "stride", p), StrictJson.integer(n, "padding", p),
                    StrictJson.integer(n, "dilation", p), StrictJson.integer(n, "groups", p)));
            case "batch_norm" -> new NodeOp.BatchNorm();
            case "relu" -> new NodeOp.Relu();
            case "pool" -> {
                String mode = StrictJson.text(n, "mode", p);
                if (!mode.equals("max") && !mode.equals("avg")) {
                    throw new InvalidGenomeException(p + "mode: expected max or avg, found '" + org.spidernet.io.Quoted.of(mode) + "'");
                }
                yield new NodeOp.Pool(mode.equals("max"), new PoolGeometry(StrictJson.integer(n, "kernel", p),
                        StrictJson.integer(n, "stride", p), StrictJson.integer(n, "padding", p)));
            }
            case "subsample" -> new NodeOp.Subsample(StrictJson.integer(n, "stride", p), StrictJson.integer(n, "offset", p));
            case "identity" -> new NodeOp.Identity();
            case "sum" -> new NodeOp.Sum();
            case "concat" -> new NodeOp.Concat();
            case "gated_sum" -> new NodeOp.GatedSum(ints(n, "gates", p), shape(n, p));
            case "weighted_sum" -> new NodeOp.WeightedSum(StrictJson.integer(n, "group", p), ints(n, "rows", p),
                    ints(n, "choices", p), shape(n, p));
            case "classifier" -> new NodeOp.Classifier(StrictJson.integer(n, "classes", p));
            default -> throw new InvalidGenomeException(p + "op: unknown op '" + org.spidernet.io.Quoted.of(tag) + "'");
        };
    }

    private static AlphaGroup.Mixing mixing(String name, String path) {
        for (AlphaGroup.Mixing m : AlphaGroup.Mixing.values()) {
            if (m.name().equalsIgnoreCase(name)) {
                return m;
            }
        }
        throw new InvalidGenomeException(path + ": expected softmax or gumbel, found '" + org.spidernet.io.Quoted.of(name) + "'");
    }

    private static Shape shape(JsonNode n, String p) {
        List<Integer> d = ints(n, "shape", p);
        return FormatJson.at(p + "shape", () -> switch (d.size()) {
            case 1 -> Shape.vector(d.get(0));
            case 3 -> Shape.map(d.get(0), d.get(1), d.get(2));
            default -> throw new InvalidGenomeException(p + "shape: expected [C, H, W] or [length], found " + d);
        });
    }

    private static List<Integer> ints(JsonNode parent, String name, String p) {
        JsonNode a = StrictJson.array(parent, name, p);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            JsonNode v = a.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw new InvalidGenomeException(p + name + "[" + i + "]: expected an integer, found " + v);
            }
            out.add(v.intValue());
        }
        return out;
    }

    private static boolean bool(JsonNode parent, String name, String p) {
        JsonNode v = StrictJson.field(parent, name, p);
        if (!v.isBoolean()) {
            throw new InvalidGenomeException(p + name + ": expected true or false, found " + v);
        }
        return v.booleanValue();
    }

}
