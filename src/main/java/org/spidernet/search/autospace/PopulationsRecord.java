package org.spidernet.search.autospace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code populations.json}: every step (the cells each layer mixed, reference first, with their
 * mixing weights; the supernet's accuracy; each layer's best fitness after it) and every layer's
 * population now (cell, fitness, age, evaluations). Derived from the state, so a resumed search
 * writes it again whole.
 */
final class PopulationsRecord {
    static final String FILE = "populations.json";

    private PopulationsRecord() {
    }

    static Map<String, Object> of(AutoSpaceState state) {
        List<Object> steps = new ArrayList<>();
        for (StepRecord s : state.steps()) {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("step", s.step());
            step.put("supernet_validation_accuracy", s.supernetAccuracy());
            List<Object> layers = new ArrayList<>();
            for (int l = 0; l < s.mixed().size(); l++) {
                Map<String, Object> layer = new LinkedHashMap<>();
                List<Object> mixed = new ArrayList<>();
                for (int i = 0; i < s.mixed().get(l).size(); i++) {
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("cell", s.mixed().get(l).get(i).code());
                    c.put("weight", s.weights().get(l)[i]);
                    c.put("reference", i == 0);
                    mixed.add(c);
                }
                layer.put("mixed", mixed);
                layer.put("best_fitness", s.bestFitness()[l]);
                layer.put("space_fitness", s.spaceFitness()[l]);
                layers.add(layer);
            }
            step.put("layers", layers);
            steps.add(step);
        }
        List<Object> pops = new ArrayList<>();
        for (LayerPopulation p : state.populations()) {
            List<Object> members = new ArrayList<>();
            for (PopulationMember m : p.members()) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("cell", m.cell().code());
                o.put("fitness", m.fitness());
                o.put("age", m.age());
                o.put("evaluations", m.evaluations());
                members.add(o);
            }
            pops.add(members);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("steps", steps);
        root.put("populations", pops);
        return root;
    }
}
