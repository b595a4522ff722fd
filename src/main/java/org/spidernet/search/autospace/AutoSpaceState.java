package org.spidernet.search.autospace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where an AutoSpace search stands between steps: every layer's population and the record of
 * every step so far. A snapshot carries it as numeric tensors ({@link #toTensors}), so a killed
 * search resumes from the last finished step; a step cut off is run again from its seeds.
 */
public record AutoSpaceState(List<LayerPopulation> populations, List<StepRecord> steps) {
    private static final String POPULATION = "autospace/population/";
    private static final String STEP = "autospace/step/";
    private static final int MEMBER = CellCode.LENGTH + 3;

    public AutoSpaceState {
        populations = List.copyOf(populations);
        steps = List.copyOf(steps);
    }

    /** The reference network's cells: each population's best. */
    public List<AutoCell> reference() {
        return populations.stream().map(p -> p.members().get(p.best()).cell()).toList();
    }

    /** The top {@code k} cells of every population with their fitness, best first. */
    public LearnedSpace learned(TargetNetwork target, int k) {
        List<List<AutoCell>> cells = new ArrayList<>();
        List<double[]> fitness = new ArrayList<>();
        for (LayerPopulation p : populations) {
            List<AutoCell> top = p.top(k);
            cells.add(top);
            double[] f = new double[top.size()];
            for (int i = 0; i < f.length; i++) {
                f[i] = fitnessOf(p, top.get(i));
            }
            fitness.add(f);
        }
        return new LearnedSpace(new CellChoices(target, cells), fitness);
    }

    static double fitnessOf(LayerPopulation p, AutoCell c) {
        return p.members().stream().filter(m -> m.cell().equals(c)).findFirst().orElseThrow().fitness();
    }

    public Map<String, double[]> toTensors() {
        Map<String, double[]> t = new HashMap<>();
        for (int l = 0; l < populations.size(); l++) {
            List<PopulationMember> members = populations.get(l).members();
            double[] a = new double[members.size() * MEMBER];
            for (int i = 0; i < members.size(); i++) {
                PopulationMember m = members.get(i);
                CellCode.write(m.cell(), a, i * MEMBER);
                a[i * MEMBER + CellCode.LENGTH] = m.fitness();
                a[i * MEMBER + CellCode.LENGTH + 1] = m.age();
                a[i * MEMBER + CellCode.LENGTH + 2] = m.evaluations();
            }
            t.put(POPULATION + l, a);
        }
        for (StepRecord s : steps) {
            String p = STEP + s.step() + "/";
            int layers = s.mixed().size();
            int k = s.mixed().get(0).size();
            double[] mixed = new double[layers * k * CellCode.LENGTH];
            double[] weights = new double[layers * k];
            for (int l = 0; l < layers; l++) {
                for (int i = 0; i < k; i++) {
                    CellCode.write(s.mixed().get(l).get(i), mixed, (l * k + i) * CellCode.LENGTH);
                    weights[l * k + i] = s.weights().get(l)[i];
                }
            }
            t.put(p + "mixed", mixed);
            t.put(p + "weights", weights);
            t.put(p + "figures", new double[]{s.supernetAccuracy(), s.params(), s.plannedPeakBytes(), s.measuredPeakBytes()});
            t.put(p + "best-fitness", s.bestFitness());
            t.put(p + "space-fitness", s.spaceFitness());
        }
        return t;
    }

    /**
     * The state a snapshot of {@code steps} finished steps over {@code layers} layers, mixing
     * {@code k} cells each, carries; an {@link IllegalArgumentException} naming the tensor that is
     * missing or malformed.
     */
    public static AutoSpaceState fromTensors(Map<String, double[]> t, int layers, int k, int steps) {
        List<LayerPopulation> pops = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            double[] a = require(t, POPULATION + l);
            if (a.length == 0 || a.length % MEMBER != 0) {
                throw new IllegalArgumentException("AutoSpace snapshot: " + POPULATION + l + " has " + a.length
                        + " numbers, not a multiple of " + MEMBER);
            }
            List<PopulationMember> members = new ArrayList<>();
            for (int i = 0; i < a.length / MEMBER; i++) {
                AutoCell c = CellCode.read(a, i * MEMBER, "AutoSpace snapshot: " + POPULATION + l + " member " + i);
                members.add(new PopulationMember(c, a[i * MEMBER + CellCode.LENGTH], (int) a[i * MEMBER + CellCode.LENGTH + 1],
                        (int) a[i * MEMBER + CellCode.LENGTH + 2]));
            }
            pops.add(new LayerPopulation(members));
        }
        List<StepRecord> records = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            String p = STEP + s + "/";
            double[] mixed = require(t, p + "mixed");
            double[] weights = require(t, p + "weights");
            double[] figures = require(t, p + "figures");
            if (mixed.length != layers * k * CellCode.LENGTH || weights.length != layers * k || figures.length != 4) {
                throw new IllegalArgumentException("AutoSpace snapshot: step " + s + " does not hold " + layers + " layers of "
                        + k + " cells");
            }
            List<List<AutoCell>> cells = new ArrayList<>();
            List<double[]> w = new ArrayList<>();
            for (int l = 0; l < layers; l++) {
                List<AutoCell> row = new ArrayList<>();
                for (int i = 0; i < k; i++) {
                    row.add(CellCode.read(mixed, (l * k + i) * CellCode.LENGTH, "AutoSpace snapshot: " + p + "mixed"));
                }
                cells.add(row);
                w.add(java.util.Arrays.copyOfRange(weights, l * k, (l + 1) * k));
            }
            records.add(new StepRecord(s, cells, w, figures[0], (long) figures[1], (long) figures[2], (long) figures[3],
                    require(t, p + "best-fitness"), require(t, p + "space-fitness")));
        }
        return new AutoSpaceState(pops, records);
    }

    private static double[] require(Map<String, double[]> t, String name) {
        double[] a = t == null ? null : t.get(name);
        if (a == null) {
            throw new IllegalArgumentException("AutoSpace snapshot: tensor " + name + " missing");
        }
        return a;
    }
}
