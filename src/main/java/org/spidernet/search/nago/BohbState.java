package org.spidernet.search.nago;

import org.spidernet.search.bohb.Bracket;
import org.spidernet.search.bohb.Observation;
import org.spidernet.search.bohb.Point;
import org.spidernet.search.bohb.SuccessiveHalving;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where a NAGO search stands between jobs: the brackets finished, every configuration BOHB has
 * proposed and every finished job's {@link NagoEvaluation}. The next job is a pure function of it
 * ({@link #next}), so a snapshot of it (numeric tensors, {@link #toTensors}) resumes a killed
 * search exactly; a job cut off by the kill runs again from its seeds.
 *
 * <p>Inside bracket b the jobs go rung by rung, each rung's configurations in order (rung 0 in
 * proposal order, later rungs best first), each configuration's samples in order. A rung is over
 * when all its jobs are; {@link SuccessiveHalving#promote} then keeps the configurations with the
 * lowest loss, -(mean validation accuracy over their samples), ties going to the earlier.
 */
public record BohbState(int brackets, List<NagoConfiguration> configurations, List<NagoEvaluation> evaluations) {
    private static final String BRACKETS = "nago/brackets";
    private static final String CONFIGURATIONS = "nago/configurations";
    private static final String EVALUATIONS = "nago/evaluations";

    public BohbState {
        configurations = List.copyOf(configurations);
        evaluations = List.copyOf(evaluations);
        for (int i = 0; i < configurations.size(); i++) {
            if (configurations.get(i).index() != i) {
                throw new IllegalArgumentException("NAGO state: configuration " + i + " carries index "
                        + configurations.get(i).index());
            }
        }
    }

    public static BohbState start() {
        return new BohbState(0, List.of(), List.of());
    }

    public BohbState withConfiguration(int bracket, Point p) {
        List<NagoConfiguration> c = new ArrayList<>(configurations);
        c.add(new NagoConfiguration(c.size(), bracket, p));
        return new BohbState(brackets, c, evaluations);
    }

    public BohbState withEvaluation(NagoEvaluation e) {
        List<NagoEvaluation> all = new ArrayList<>(evaluations);
        all.add(e);
        return new BohbState(brackets, configurations, all);
    }

    public BohbState withBracketFinished() {
        return new BohbState(brackets + 1, configurations, evaluations);
    }

    /** Whether the current bracket has run no job yet (where the search checks its limits). */
    public boolean bracketUnstarted() {
        return evaluations.stream().noneMatch(e -> e.bracket() == brackets);
    }

    /** The next job of the current bracket, empty when the bracket is over. */
    public Optional<NagoJob> next(NagoSettings settings) {
        int b = brackets;
        Bracket bracket = settings.bracket(b);
        int base = (int) configurations.stream().filter(c -> c.bracket() < b).count();
        List<Integer> rung = new ArrayList<>();
        for (int k = 0; k < bracket.initialConfigurations(); k++) {
            rung.add(base + k);
        }
        for (int i = 0; ; i++) {
            int epochs = NagoSettings.epochs(bracket.rungs().get(i));
            for (int c : rung) {
                for (int j = 0; j < settings.samples(); j++) {
                    if (find(b, i, c, j).isEmpty()) {
                        return Optional.of(new NagoJob(b, i, c, j, epochs, c >= configurations.size()));
                    }
                }
            }
            if (i == bracket.rungs().size() - 1) {
                return Optional.empty();
            }
            int rungIndex = i;
            rung = SuccessiveHalving.promote(rung, c -> -meanAccuracy(b, rungIndex, c), bracket.rungs().get(i + 1)
                    .configurations());
        }
    }

    /**
     * The next jobs that need no result of one another, in the order {@link #next} hands them out:
     * the next job (whose configuration must be proposed already), then the following missing jobs
     * of its rung, up to {@code max} and up to (not including) the next that proposes a
     * configuration (a proposal learns from every result before it). Empty when the bracket is over.
     */
    public List<NagoJob> nextIndependent(NagoSettings settings, int max) {
        Optional<NagoJob> first = next(settings);
        if (first.isEmpty()) {
            return List.of();
        }
        NagoJob j = first.get();
        if (j.proposes()) {
            throw new IllegalStateException("configuration " + j.configuration() + " is not proposed yet");
        }
        List<NagoJob> out = new ArrayList<>(List.of(j));
        BohbState assumed = this;
        while (out.size() < max) {
            NagoJob last = out.get(out.size() - 1);
            // pretend the last job is done: which jobs a rung holds is fixed when it starts, so no accuracy matters here
            assumed = assumed.withEvaluation(new NagoEvaluation(last.bracket(), last.rung(), last.configuration(),
                    last.sample(), last.epochs(), 0, 0, 0, 0, 0));
            Optional<NagoJob> n = assumed.next(settings);
            if (n.isEmpty() || n.get().rung() != j.rung() || n.get().proposes()) {
                break;
            }
            out.add(n.get());
        }
        return out;
    }

    private Optional<NagoEvaluation> find(int bracket, int rung, int configuration, int sample) {
        return evaluations.stream().filter(e -> e.of(bracket, rung, configuration, sample)).findFirst();
    }

    private List<NagoEvaluation> of(int bracket, int rung, int configuration) {
        return evaluations.stream().filter(e -> e.bracket() == bracket && e.rung() == rung && e.configuration() == configuration)
                .toList();
    }

    private double meanAccuracy(int bracket, int rung, int configuration) {
        return of(bracket, rung, configuration).stream().mapToDouble(NagoEvaluation::accuracy).average().orElseThrow();
    }

    /**
     * BOHB's observations by budget (epochs): a configuration counts at a budget once all its
     * {@code samples} networks are trained there, with loss -(their mean accuracy).
     */
    public Map<Double, List<Observation>> observations(int samples) {
        Map<Double, List<Observation>> out = new TreeMap<>();
        for (Scored s : scored(samples)) {
            out.computeIfAbsent((double) s.epochs(), k -> new ArrayList<>())
                    .add(new Observation(configurations.get(s.configuration()).point(), -s.meanAccuracy()));
        }
        return out;
    }

    /** A configuration's mean accuracy at a rung whose samples are all trained. */
    public record Scored(int configuration, int bracket, int rung, int epochs, double meanAccuracy) {
    }

    /** Every (configuration, rung) with all {@code samples} trained, in order of their first evaluation. */
    public List<Scored> scored(int samples) {
        Map<List<Integer>, List<NagoEvaluation>> groups = new LinkedHashMap<>();
        for (NagoEvaluation e : evaluations) {
            groups.computeIfAbsent(List.of(e.bracket(), e.rung(), e.configuration()), k -> new ArrayList<>()).add(e);
        }
        List<Scored> out = new ArrayList<>();
        for (List<NagoEvaluation> g : groups.values()) {
            if (g.size() == samples) {
                NagoEvaluation e = g.get(0);
                out.add(new Scored(e.configuration(), e.bracket(), e.rung(), e.epochs(),
                        g.stream().mapToDouble(NagoEvaluation::accuracy).average().orElseThrow()));
            }
        }
        return out;
    }

    /**
     * The found configuration: the highest mean accuracy at the largest budget any configuration
     * has reached, ties to the lower index; empty before one is scored.
     */
    public Optional<Scored> best(int samples) {
        Scored best = null;
        for (Scored s : scored(samples)) {
            if (best == null || s.epochs() > best.epochs() || s.epochs() == best.epochs()
                    && (s.meanAccuracy() > best.meanAccuracy()
                    || s.meanAccuracy() == best.meanAccuracy() && s.configuration() < best.configuration())) {
                best = s;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The most accurate of a scored configuration's networks at its rung, ties to the lower sample. */
    public NagoEvaluation bestSample(Scored s) {
        NagoEvaluation best = null;
        for (NagoEvaluation e : of(s.bracket(), s.rung(), s.configuration())) {
            if (best == null || e.accuracy() > best.accuracy() || e.accuracy() == best.accuracy() && e.sample() < best.sample()) {
                best = e;
            }
        }
        return best;
    }

    public Map<String, double[]> toTensors() {
        Map<String, double[]> t = new HashMap<>();
        t.put(BRACKETS, new double[]{brackets});
        int d = GeneratorParameters.SPACE.dimension();
        double[] c = new double[configurations.size() * (d + 1)];
        for (int i = 0; i < configurations.size(); i++) {
            c[i * (d + 1)] = configurations.get(i).bracket();
            System.arraycopy(configurations.get(i).point().coordinates(), 0, c, i * (d + 1) + 1, d);
        }
        t.put(CONFIGURATIONS, c);
        double[] e = new double[evaluations.size() * NagoEvaluation.WIDTH];
        for (int i = 0; i < evaluations.size(); i++) {
            evaluations.get(i).write(e, i * NagoEvaluation.WIDTH);
        }
        t.put(EVALUATIONS, e);
        return t;
    }

    /** The state a snapshot carries; an {@link IllegalArgumentException} naming a missing or malformed tensor. */
    public static BohbState fromTensors(Map<String, double[]> t) {
        double[] b = require(t, BRACKETS);
        double[] c = require(t, CONFIGURATIONS);
        double[] e = require(t, EVALUATIONS);
        int d = GeneratorParameters.SPACE.dimension();
        if (b.length != 1 || c.length % (d + 1) != 0 || e.length % NagoEvaluation.WIDTH != 0) {
            throw new IllegalArgumentException("NAGO snapshot: tensors " + BRACKETS + ", " + CONFIGURATIONS + " or "
                    + EVALUATIONS + " have the wrong length");
        }
        List<NagoConfiguration> configs = new ArrayList<>();
        for (int i = 0; i < c.length / (d + 1); i++) {
            configs.add(new NagoConfiguration(i, (int) c[i * (d + 1)],
                    new Point(java.util.Arrays.copyOfRange(c, i * (d + 1) + 1, (i + 1) * (d + 1)))));
        }
        List<NagoEvaluation> evals = new ArrayList<>();
        for (int i = 0; i < e.length / NagoEvaluation.WIDTH; i++) {
            evals.add(NagoEvaluation.read(e, i * NagoEvaluation.WIDTH));
        }
        return new BohbState((int) b[0], configs, evals);
    }

    private static double[] require(Map<String, double[]> t, String name) {
        double[] a = t == null ? null : t.get(name);
        if (a == null) {
            throw new IllegalArgumentException("NAGO snapshot: tensor " + name + " missing");
        }
        return a;
    }
}
