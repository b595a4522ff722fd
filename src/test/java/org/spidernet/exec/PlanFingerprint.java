package org.spidernet.exec;

import org.spidernet.graph.Cell;
import org.spidernet.graph.Edge;
import org.spidernet.graph.EdgeSplit;
import org.spidernet.graph.Genome;
import org.spidernet.graph.InputSpec;
import org.spidernet.graph.OpType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Everything a compiled plan decides, as text: buffers (name, kind, shape, lifetime), parameters
 * (name, init, fans, gate), gates, heads, the schedule (layer type, buffers, gate, MACs) and the
 * memory plan (slots, peak). Two compilations that print the same fingerprint build the same
 * network, bind the same tensors and initialise the same weights.
 */
final class PlanFingerprint {
    private PlanFingerprint() {
    }

    static String of(ExecutionPlan p) {
        StringBuilder s = new StringBuilder();
        s.append("batch ").append(p.batch).append(" input ").append(p.input).append(" inputGrad ").append(p.inputGrad)
                .append(" gateGrads ").append(p.gateGrads).append(" labels ").append(p.labels).append(" loss ")
                .append(p.loss).append(" gatePath ").append(p.gatePath).append(" sgdRate ").append(p.sgdRate).append('\n');
        for (BufferSpec b : p.buffers) {
            s.append("B ").append(b.id()).append(' ').append(b).append('\n');
        }
        for (ParamSpec q : p.params) {
            s.append("P ").append(q).append('\n');
        }
        for (GateSpec g : p.gates) {
            s.append("G ").append(g.index()).append(' ').append(g.label()).append('\n');
        }
        for (HeadSpec h : p.heads) {
            s.append("H ").append(h).append('\n');
        }
        for (int[] st : p.statInit) {
            s.append("S ").append(Arrays.toString(st)).append('\n');
        }
        s.append("R ").append(p.reluInputs).append('\n');
        for (Layer l : p.layers) {
            s.append("L ").append(l.getClass().getSimpleName()).append(' ').append(Arrays.toString(l.buffers()))
                    .append(" gate ").append(l.gate).append(" macs ").append(l.forwardMacs()).append('\n');
        }
        MemoryPlan m = p.memoryPlan();
        s.append("M slots ").append(m.slotCount()).append(" peak ").append(m.peakBytes()).append(" unshared ")
                .append(m.unsharedBytes()).append(" liveness ").append(m.livenessPeakBytes()).append('\n');
        for (BufferSpec b : p.buffers) {
            s.append(m.slotOf(b.id())).append(m.isTransient(b.id()) ? "t " : " ");
        }
        s.append('\n').append("params ").append(p.parameterCount()).append(" macs ").append(p.forwardMacsPerImage())
                .append(" relu ").append(p.reluUnitsPerSample()).append('\n');
        return s.toString();
    }

    /** The genomes the fingerprints cover: initial nets and grown nets with random op subsets (fixed seeds). */
    static List<Genome> genomes() {
        List<Genome> list = new ArrayList<>();
        InputSpec mnist = new InputSpec(1, 28, 28, 10);
        InputSpec cifar = new InputSpec(3, 32, 32, 10);
        list.add(Genome.initial(mnist, 8, 0));
        list.add(Genome.initial(mnist, 8, 2));
        list.add(Genome.initial(cifar, 16, 1));
        for (int seed = 1; seed <= 4; seed++) {
            list.add(grown(Genome.initial(seed % 2 == 0 ? cifar : mnist, 4 + seed, seed % 3), seed));
        }
        return list;
    }

    private static Genome grown(Genome g, long seed) {
        Random r = new Random(seed);
        for (int s = 0; s < 6; s++) {
            int k = r.nextInt(g.cells().size());
            List<Edge> edges = g.cell(k).edges();
            Edge e = edges.get(r.nextInt(edges.size()));
            g = new EdgeSplit(k, e.from(), e.to()).applyTo(g);
        }
        Genome out = g;
        for (Cell c : g.cells()) {
            List<Edge> edges = new ArrayList<>();
            for (Edge e : c.edges()) {
                List<OpType> ops = new ArrayList<>();
                for (OpType op : OpType.CANDIDATES) {
                    if (r.nextInt(3) > 0) {
                        ops.add(op);
                    }
                }
                edges.add(new Edge(e.from(), e.to(), ops));
            }
            out = out.withCell(c.withEdges(c.nodes(), edges));
        }
        return out;
    }

    static List<PlanOptions> options() {
        PlanOptions t = PlanOptions.TRAINING;
        return List.of(t, t.withInputGradient(), t.withoutBatchNorm(), t.withoutMemorySharing(),
                t.withInputGradient().withoutMemorySharing());
    }

    /** Every case's fingerprint by case name, in a fixed order. */
    static java.util.LinkedHashMap<String, String> all() {
        java.util.LinkedHashMap<String, String> cases = new java.util.LinkedHashMap<>();
        int i = 0;
        for (Genome g : genomes()) {
            for (PlanOptions o : options()) {
                for (int bpe : new int[]{4, 8}) {
                    cases.put("genome " + i + " " + o + " bpe " + bpe, of(ExecutionPlan.compile(g, 3, bpe, o)));
                }
            }
            i++;
        }
        // the width-C stemless variant linear-region counting uses
        Genome g = genomes().get(4);
        cases.put("stemless", of(ExecutionPlan.compile(
                new Genome(new InputSpec(g.channels(), 28, 28, 10), g.channels(), g.reductions(), g.cells()), 2, 8,
                PlanOptions.TRAINING.withoutStem())));
        return cases;
    }

    static String sha256(String text) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes "hash case" lines (args[0]) and, with args[1], the full texts for a diff. */
    public static void main(String[] args) throws Exception {
        StringBuilder hashes = new StringBuilder();
        StringBuilder texts = new StringBuilder();
        for (var e : all().entrySet()) {
            hashes.append(sha256(e.getValue())).append(' ').append(e.getKey()).append('\n');
            texts.append("=== ").append(e.getKey()).append('\n').append(e.getValue());
        }
        java.nio.file.Files.writeString(java.nio.file.Path.of(args[0]), hashes);
        if (args.length > 1) {
            java.nio.file.Files.writeString(java.nio.file.Path.of(args[1]), texts);
        }
    }
}
