package org.spidernet.graph;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenomeJsonTest {

    /** A genome grown by random splits and with random ops pruned, so every field varies. */
    static Genome randomGenome(long seed) {
        Random r = new Random(seed);
        Genome g = Genome.initial(new InputSpec(3, 30, 26, 7), 5, 2);
        for (int i = 0; i < 6; i++) {
            int k = r.nextInt(3);
            List<Edge> edges = g.cell(k).edges();
            Edge e = edges.get(r.nextInt(edges.size()));
            g = new EdgeSplit(k, e.from(), e.to()).applyTo(g);
        }
        Cell c = g.cell(1);
        List<Edge> edges = new java.util.ArrayList<>(c.edges());
        Edge first = edges.get(0);
        edges.set(0, new Edge(first.from(), first.to(), List.of(OpType.MAX_POOL_3X3, OpType.DIL_CONV_5X5)));
        return g.withCell(c.withEdges(c.nodes(), edges));
    }

    @Test
    void roundTripsGrownGenome() {
        long seed = System.nanoTime();
        Genome g = randomGenome(seed);
        String json = GenomeJson.write(g);
        assertEquals(g, GenomeJson.read(json), "seed " + seed);
        assertEquals(json, GenomeJson.write(GenomeJson.read(json)));
        assertTrue(json.contains("\"version\" : 1"), json);
    }

    private static void assertBad(String json, String expected) {
        InvalidGenomeException e = assertThrows(InvalidGenomeException.class, () -> GenomeJson.read(json));
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' should contain '" + expected + "'");
    }

    @Test
    void namesTheBadElement() {
        String good = GenomeJson.write(Genome.initial(InputSpec.FASHION_MNIST, 4, 1));
        assertBad(good.replaceFirst("\"sep_conv_3x3\"", "\"conv_7x7\""), "cells[0].edges[0].ops[3]: unknown op 'conv_7x7'");
        assertBad(good.replace("\"spidernet-genome\"", "\"other\""), "format: expected 'spidernet-genome'");
        assertBad(good.replace("\"version\" : 1", "\"version\" : 9"), "version: this engine reads genome format version 1, file has 9");
        assertBad(good.replaceFirst("\"from\" : 0", "\"from\" : \"zero\""), "cells[0].edges[0].from: expected an integer");
        assertBad(good.replaceFirst("\"channels\" : 4", "\"channels\" : -4"), "channels must be");
        assertBad(good.replaceFirst("\"classes\" : 10", "\"classes\" : 1"), "input:");
        assertBad(good.replaceFirst(",\\s*\"reductions\" : 1", ""), "reductions: missing");
        assertBad("{ not json", "not valid JSON");
        assertBad("[]", "must be an object");
        assertBad(good.replaceFirst("\"ops\" : \\[", "\"ops\" : [ 3, "), "ops[0]: op names are strings");
    }
}
