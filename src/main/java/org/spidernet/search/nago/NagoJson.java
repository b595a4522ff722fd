package org.spidernet.search.nago;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.spidernet.graph.FormatJson;
import org.spidernet.graph.InvalidGenomeException;
import org.spidernet.graph.StrictJson;
import org.spidernet.graph.random.RandomDag;

import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form of a NAGO network ({@code nago-network.json}, format {@value #FORMAT}): the input,
 * the base {@code channels}, the {@code top} graph, and per top-level node its {@code stage}, its
 * cell's {@code graph} and per cell node an op graph ({@code graph} and {@code ops}). A graph is
 * {@code {"nodes": N, "edges": [[from, to], ...]}} with from < to. Read strictly; errors name the
 * JSON path, e.g. {@code cells[2].nodes[0].ops[1]: unknown NAGO op 'conv7x7' ...}.
 */
public final class NagoJson {
    public static final String FORMAT = "nago-network";
    public static final int VERSION = 1;

    private NagoJson() {
    }

    public static String write(NagoNetwork n) {
        ObjectNode root = FormatJson.header(FORMAT, VERSION, n.input());
        root.put("channels", n.channels());
        graph(root.putObject("top"), n.top());
        ArrayNode cells = root.putArray("cells");
        for (int v = 0; v < n.top().nodes(); v++) {
            ObjectNode c = cells.addObject();
            c.put("stage", n.stages().get(v));
            CellGraph cell = n.cells().get(v);
            graph(c.putObject("graph"), cell.graph());
            ArrayNode nodes = c.putArray("nodes");
            for (OpGraph g : cell.nodes()) {
                ObjectNode o = nodes.addObject();
                graph(o.putObject("graph"), g.graph());
                ArrayNode ops = o.putArray("ops");
                g.ops().forEach(op -> ops.add(op.jsonName()));
            }
        }
        return FormatJson.write(root);
    }

    public static NagoNetwork read(String json) {
        JsonNode root = FormatJson.read(json, "NAGO", FORMAT, VERSION);
        int channels = StrictJson.integer(root, "channels", "");
        RandomDag top = graph(StrictJson.object(root, "top", ""), "top");
        JsonNode cells = StrictJson.array(root, "cells", "");
        List<Integer> stages = new ArrayList<>();
        List<CellGraph> list = new ArrayList<>();
        for (int v = 0; v < cells.size(); v++) {
            String path = "cells[" + v + "]";
            JsonNode c = StrictJson.element(cells.get(v), path);
            stages.add(StrictJson.integer(c, "stage", path + "."));
            RandomDag g = graph(StrictJson.object(c, "graph", path + "."), path + ".graph");
            JsonNode nodes = StrictJson.array(c, "nodes", path + ".");
            List<OpGraph> opGraphs = new ArrayList<>();
            for (int k = 0; k < nodes.size(); k++) {
                String np = path + ".nodes[" + k + "]";
                JsonNode o = StrictJson.element(nodes.get(k), np);
                RandomDag og = graph(StrictJson.object(o, "graph", np + "."), np + ".graph");
                JsonNode ops = StrictJson.array(o, "ops", np + ".");
                List<NagoOp> opList = new ArrayList<>();
                for (int i = 0; i < ops.size(); i++) {
                    JsonNode op = ops.get(i);
                    if (!op.isTextual()) {
                        throw new InvalidGenomeException(np + ".ops[" + i + "]: expected an op name, found " + op);
                    }
                    opList.add(FormatJson.at(np + ".ops[" + i + "]", () -> NagoOp.fromName(op.asText())));
                }
                opGraphs.add(FormatJson.at(np, () -> new OpGraph(og, opList)));
            }
            list.add(FormatJson.at(path, () -> new CellGraph(g, opGraphs)));
        }
        return FormatJson.build(() -> new NagoNetwork(StrictJson.input(root), channels, top, stages, list));
    }

    private static void graph(ObjectNode o, RandomDag g) {
        o.put("nodes", g.nodes());
        ArrayNode edges = o.putArray("edges");
        for (RandomDag.Edge e : g.edges()) {
            edges.addArray().add(e.from()).add(e.to());
        }
    }

    private static RandomDag graph(JsonNode o, String path) {
        int nodes = StrictJson.integer(o, "nodes", path + ".");
        if (nodes < 1 || nodes > NagoNetwork.MAX_NODES) {
            // checked before the graph allocates per node
            throw new InvalidGenomeException(path + ".nodes: must be in 1.." + NagoNetwork.MAX_NODES + ", got " + nodes);
        }
        JsonNode edges = StrictJson.array(o, "edges", path + ".");
        List<RandomDag.Edge> list = new ArrayList<>();
        for (int i = 0; i < edges.size(); i++) {
            JsonNode e = edges.get(i);
            String ep = path + ".edges[" + i + "]";
            if (!e.isArray() || e.size() != 2 || !e.get(0).canConvertToInt() || !e.get(1).canConvertToInt()
                    || !e.get(0).isIntegralNumber() || !e.get(1).isIntegralNumber()) {
                throw new InvalidGenomeException(ep + ": expected [from, to], found " + e);
            }
            list.add(FormatJson.at(ep, () -> new RandomDag.Edge(e.get(0).intValue(), e.get(1).intValue())));
        }
        return FormatJson.at(path, () -> new RandomDag(nodes, list));
    }
}
