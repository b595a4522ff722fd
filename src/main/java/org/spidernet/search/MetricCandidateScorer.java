package org.spidernet.search;

import org.spidernet.backend.Backend;
import org.spidernet.data.ImageDataset;
import org.spidernet.graph.EdgeSplit;
import org.spidernet.graph.Genome;
import org.spidernet.metrics.ChildParentScores;
import org.spidernet.metrics.MetricRegistry;
import org.spidernet.metrics.ScoringContext;
import org.spidernet.metrics.TrainFreeMetric;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores a split with train-free metrics, built from the genome (the trained model is never
 * copied): for each metric and each of {@code inits} random initialisations, the child and its
 * parent (the child with the two new edges switched off) share every weight and input; the
 * relative change {@code (child - parent) / parent} is averaged over the inits. NTK and linear
 * regions use SpiderNet's widths (3 and 1) and the data amounts of the {@link ScoringScale}.
 */
public final class MetricCandidateScorer implements CandidateScorer {
    private final Backend backend;
    private final ImageDataset images;
    private final List<TrainFreeMetric> metrics = new ArrayList<>();
    private final int inits;

    public MetricCandidateScorer(Backend backend, ImageDataset images, List<String> names, int inits, ScoringScale scale) {
        this.backend = backend;
        this.images = images;
        this.inits = inits;
        for (String n : names) {
            metrics.add(scale.metric(n));
        }
    }

    @Override
    public Scores score(Genome current, EdgeSplit split, long seed) throws ScoringFailure {
        Genome child = split.applyTo(current);
        Map<String, Double> c = new LinkedHashMap<>();
        Map<String, Double> p = new LinkedHashMap<>();
        Map<String, Double> d = new LinkedHashMap<>();
        for (int mi = 0; mi < metrics.size(); mi++) {
            TrainFreeMetric m = metrics.get(mi);
            double cs = 0;
            double ps = 0;
            double ds = 0;
            for (int i = 0; i < inits; i++) {
                ScoringContext ctx = ScoringContext.of(backend, child, Seeds.derive(seed, mi, i), images);
                ChildParentScores s;
                try {
                    s = ChildParentScores.score(m, ctx, split);
                } catch (RuntimeException e) {
                    throw new ScoringFailure(m.name() + ": " + e.getMessage(), e);
                }
                if (!s.usable()) {
                    throw new ScoringFailure(m.name() + ": child " + s.child() + ", parent " + s.parent());
                }
                double delta = s.relativeChange();
                if (!Double.isFinite(delta)) {
                    throw new ScoringFailure(m.name() + ": relative change " + delta + " (parent score " + s.parent().value() + ")");
                }
                cs += s.child().value();
                ps += s.parent().value();
                ds += delta;
            }
            c.put(m.name(), cs / inits);
            p.put(m.name(), ps / inits);
            d.put(m.name(), ds / inits);
        }
        return new Scores(c, p, d);
    }

    @Override
    public boolean higherIsBetter(String metric) {
        for (TrainFreeMetric m : metrics) {
            if (m.name().equals(metric)) {
                return m.higherIsBetter();
            }
        }
        return MetricRegistry.byName(metric).higherIsBetter();
    }
}
