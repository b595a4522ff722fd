package org.spidernet.search.fade;

import org.spidernet.graph.dag.Dag;
import org.spidernet.graph.dag.DagLibrary;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a FaDE search carries from one step to the next, in the numeric form a search snapshot
 * holds (cells as indices into the library, which is built the same way every time): the centre
 * and the parents of the next generation, which alone decide what follows (the search is
 * memory-less), and every region trained so far with its ranks, which only the outputs read.
 */
record FadeState(List<Dag> centre, List<List<Dag>> parents, List<TrainedRegion> regions) {
    private static final String CENTRE = "fade/centre";
    private static final String PARENTS = "fade/parents";
    private static final String REGION = "fade/region/";

    /** A region trained in generation {@code generation} as batch member {@code index}. */
    record TrainedRegion(int generation, int index, RegionTraining.Trained trained) {
    }

    FadeState {
        centre = List.copyOf(centre);
        parents = parents.stream().map(List::copyOf).toList();
        regions = List.copyOf(regions);
    }

    /** The regions of {@code generation}, in batch order. */
    List<RegionResult> batch(int generation) {
        return regions.stream().filter(r -> r.generation() == generation).map(r -> r.trained().result()).toList();
    }

    FadeState withRegion(TrainedRegion r) {
        List<TrainedRegion> list = new ArrayList<>(regions);
        list.add(r);
        return new FadeState(centre, parents, list);
    }

    FadeState stepped(List<Dag> newCentre, List<List<Dag>> newParents) {
        return new FadeState(newCentre, newParents, regions);
    }

    Map<String, double[]> toTensors(DagLibrary library) {
        Map<String, double[]> m = new HashMap<>();
        m.put(CENTRE, indices(library, centre));
        int width = parents.stream().mapToInt(List::size).max().orElse(0);
        double[] p = new double[parents.size() * width];
        java.util.Arrays.fill(p, -1);
        for (int s = 0; s < parents.size(); s++) {
            for (int k = 0; k < parents.get(s).size(); k++) {
                p[s * width + k] = index(library, parents.get(s).get(k));
            }
        }
        m.put(PARENTS, p);
        for (TrainedRegion r : regions) {
            String key = REGION + r.generation() + "/" + r.index() + "/";
            FadeRegion region = r.trained().result().region();
            int n = region.width();
            double[] cells = new double[region.skeleton().size() * n];
            for (int s = 0; s < region.skeleton().size(); s++) {
                for (int i = 0; i < n; i++) {
                    cells[s * n + i] = index(library, region.candidates().get(s).get(i));
                }
            }
            m.put(key + "cells", cells);
            m.put(key + "logw", logWeights(r.trained()));
            m.put(key + "figures", figures(r.trained()));
        }
        return m;
    }

    /**
     * A trained region's log weights, stage by stage, in the form a snapshot holds them (a
     * train-region job's result holds them so too: {@link TrainRegionJob}).
     */
    static double[] logWeights(RegionTraining.Trained t) {
        RegionResult res = t.result();
        int n = res.region().width();
        double[] logw = new double[res.region().skeleton().size() * n];
        for (int s = 0; s < res.region().skeleton().size(); s++) {
            for (int i = 0; i < n; i++) {
                logw[s * n + i] = res.logWeight(s, i);
            }
        }
        return logw;
    }

    /** What else training {@code t} gave: supernet accuracy, parameters, planned and measured peak. */
    static double[] figures(RegionTraining.Trained t) {
        return new double[]{t.result().validationAccuracy(), t.params(), t.plannedPeakBytes(), t.measuredPeakBytes()};
    }

    /** {@code region} trained, from its {@link #logWeights} and {@link #figures}. */
    static RegionTraining.Trained trained(FadeRegion region, double[] logw, double[] figures) {
        int stages = region.skeleton().size();
        int n = region.width();
        if (logw.length != stages * n || figures.length != 4) {
            throw new IllegalArgumentException("a trained FaDE region of " + stages + " x " + n + " cells needs " + stages * n
                    + " log weights and 4 figures, got " + logw.length + " and " + figures.length);
        }
        double[][] lw = new double[stages][n];
        for (int s = 0; s < stages; s++) {
            System.arraycopy(logw, s * n, lw[s], 0, n);
        }
        return new RegionTraining.Trained(new RegionResult(region, lw, figures[0]), (long) figures[1], (long) figures[2],
                (long) figures[3]);
    }

    static FadeState fromTensors(Map<String, double[]> m, DagLibrary library, FadeSkeleton skeleton, FadeSettings settings) {
        double[] c = require(m, CENTRE);
        requireLength(CENTRE, c, skeleton.size());
        List<Dag> centre = cells(library, c, 0, c.length);
        double[] p = require(m, PARENTS);
        int width = p.length / Math.max(1, c.length);
        List<List<Dag>> parents = new ArrayList<>();
        for (int s = 0; s < c.length; s++) {
            List<Dag> list = new ArrayList<>();
            for (int k = 0; k < width; k++) {
                if (p[s * width + k] >= 0) {
                    list.add(cell(library, p[s * width + k]));
                }
            }
            parents.add(list);
        }
        List<TrainedRegion> regions = new ArrayList<>();
        List<String> keys = m.keySet().stream().filter(k -> k.startsWith(REGION) && k.endsWith("/cells")).toList();
        for (String k : keys) {
            String[] parts = k.substring(REGION.length()).split("/");
            int g = Integer.parseInt(parts[0]);
            int r = Integer.parseInt(parts[1]);
            String base = REGION + g + "/" + r + "/";
            double[] cells = require(m, base + "cells");
            double[] logw = require(m, base + "logw");
            double[] fig = require(m, base + "figures");
            int n = settings.candidates();
            requireLength(base + "cells", cells, skeleton.size() * n);
            requireLength(base + "logw", logw, skeleton.size() * n);
            requireLength(base + "figures", fig, 4);
            List<List<Dag>> cands = new ArrayList<>();
            for (int s = 0; s < skeleton.size(); s++) {
                cands.add(cells(library, cells, s * n, n));
            }
            FadeRegion region = new FadeRegion(skeleton, cands, settings.bilevel().mixing());
            regions.add(new TrainedRegion(g, r, trained(region, logw, fig)));
        }
        regions.sort(java.util.Comparator.comparingInt(TrainedRegion::generation).thenComparingInt(TrainedRegion::index));
        return new FadeState(centre, parents, regions);
    }

    private static double[] require(Map<String, double[]> m, String key) {
        double[] v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("the FaDE search snapshot lacks " + key);
        }
        return v;
    }

    private static void requireLength(String key, double[] v, int length) {
        if (v.length != length) {
            throw new IllegalArgumentException("the FaDE search snapshot's " + key + " holds " + v.length + " values, not "
                    + length + " (was it written with other settings?)");
        }
    }

    private static List<Dag> cells(DagLibrary library, double[] v, int from, int n) {
        List<Dag> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            out.add(cell(library, v[i]));
        }
        return out;
    }

    private static Dag cell(DagLibrary library, double index) {
        int i = (int) index;
        if (i != index || i < 0 || i >= library.size()) {
            throw new IllegalArgumentException("the FaDE search snapshot names cell " + index + ", outside the library of "
                    + library.size());
        }
        return library.get(i);
    }

    private static double[] indices(DagLibrary library, List<Dag> cells) {
        return cells.stream().mapToDouble(d -> index(library, d)).toArray();
    }

    private static int index(DagLibrary library, Dag d) {
        int i = library.indexOf(d);
        if (i < 0) {
            throw new IllegalStateException("cell " + d.code() + " is not in the DAG library");
        }
        return i;
    }
}
