package org.spidernet.search.fade;

import org.spidernet.graph.dag.Dag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code regions.json}: per generation the centre it started from, every region of its batch (the
 * candidate cells and their softmax weights per stage, the supernet's validation accuracy and
 * cost, and its {@link FadeStrategy#LISTED} best architectures by the region's rank) and, once the
 * generation is complete, the step that followed (every cell's aggregated advantage per stage and
 * the new centre).
 */
final class RegionsRecord {
    private RegionsRecord() {
    }

    /** The record of generations 0 .. {@code completed}-1 (and the regions already trained of the next). */
    static List<Map<String, Object>> of(FadeState state, FadeSettings settings, int completed) {
        List<Map<String, Object>> out = new ArrayList<>();
        int last = state.regions().stream().mapToInt(FadeState.TrainedRegion::generation).max().orElse(-1);
        for (int g = 0; g <= last; g++) {
            List<RegionResult> batch = state.batch(g);
            if (batch.isEmpty()) {
                continue;
            }
            List<Dag> centre = batch.get(0).region().candidates().stream().map(c -> c.get(0)).toList();
            Map<String, Object> gen = new LinkedHashMap<>();
            gen.put("generation", g);
            gen.put("centre", codes(centre));
            List<Map<String, Object>> regions = new ArrayList<>();
            for (FadeState.TrainedRegion tr : state.regions()) {
                if (tr.generation() == g) {
                    regions.add(region(tr));
                }
            }
            gen.put("regions", regions);
            if (g < completed) {
                PseudoGradientStep.Outcome step = PseudoGradientStep.apply(centre, batch, settings.aggregation(),
                        settings.margin(), settings.parents());
                Map<String, Object> st = new LinkedHashMap<>();
                st.put("centre_after", codes(step.centre()));
                List<List<Map<String, Object>>> scores = new ArrayList<>();
                for (List<PseudoGradientStep.CellScore> stage : step.scores()) {
                    List<Map<String, Object>> list = new ArrayList<>();
                    for (PseudoGradientStep.CellScore c : stage) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("cell", c.cell().code());
                        m.put("advantage", c.advantage());
                        m.put("regions", c.regions());
                        list.add(m);
                    }
                    scores.add(list);
                }
                st.put("scores", scores);
                st.put("parents", step.parents().stream().map(RegionsRecord::codes).toList());
                gen.put("step", st);
            }
            out.add(gen);
        }
        return out;
    }

    private static Map<String, Object> region(FadeState.TrainedRegion tr) {
        RegionResult res = tr.trained().result();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", tr.index());
        m.put("validation_accuracy", res.validationAccuracy());
        m.put("params", tr.trained().params());
        m.put("planned_peak_bytes", tr.trained().plannedPeakBytes());
        m.put("measured_peak_bytes", tr.trained().measuredPeakBytes());
        List<Map<String, Object>> stages = new ArrayList<>();
        for (int s = 0; s < res.region().skeleton().size(); s++) {
            Map<String, Object> st = new LinkedHashMap<>();
            st.put("cells", codes(res.region().candidates().get(s)));
            double[] w = new double[res.region().width()];
            for (int i = 0; i < w.length; i++) {
                w[i] = Math.exp(res.logWeight(s, i));
            }
            st.put("weights", w);
            stages.add(st);
        }
        m.put("stages", stages);
        List<Map<String, Object>> top = new ArrayList<>();
        for (RegionResult.Ranked r : res.top(FadeStrategy.LISTED)) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("cells", codes(res.region().architecture(r.picks()).cells()));
            a.put("log_score", r.score());
            top.add(a);
        }
        m.put("top", top);
        return m;
    }

    private static List<String> codes(List<Dag> cells) {
        return cells.stream().map(Dag::code).toList();
    }
}
