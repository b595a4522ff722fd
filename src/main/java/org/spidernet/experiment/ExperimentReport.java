package org.spidernet.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.spidernet.io.AtomicFiles;
import org.spidernet.io.ScatterPlot;
import org.spidernet.stats.Interval;
import org.spidernet.stats.MeanInterval;
import org.spidernet.stats.PairedComparison;
import org.spidernet.stats.ParetoFront;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An experiment's tables and plots from its pairs' results: {@code results.csv} (one row per
 * pair), {@code summary.csv} and {@code summary.json} (per strategy, each measure's mean with its
 * 95% t interval), {@code paired.csv} (every two strategies on the same seeds) and the
 * accuracy-versus-cost scatter plots with each strategy's Pareto front. Failed pairs are rows of
 * {@code results.csv} with their status and no values, listed in the summary, and in no statistic.
 */
public record ExperimentReport(List<PairResult> results, List<StrategySummary> summaries, List<PairedRow> paired) {
    public static final String RESULTS = "results.csv";
    public static final String SUMMARY_CSV = "summary.csv";
    public static final String SUMMARY_JSON = "summary.json";
    public static final String PAIRED = "paired.csv";
    public static final String ACCURACY_VS_PARAMS = "accuracy-vs-params.png";
    public static final String ACCURACY_VS_PEAK = "accuracy-vs-peak.png";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final double MIB = 1024.0 * 1024.0;

    public ExperimentReport {
        results = List.copyOf(results);
        summaries = List.copyOf(summaries);
        paired = List.copyOf(paired);
    }

    public static ExperimentReport of(ExperimentPlan plan, List<PairResult> results) {
        List<StrategySummary> summaries = new ArrayList<>();
        for (PlanStrategy s : plan.strategies()) {
            summaries.add(StrategySummary.of(s.label(), results));
        }
        return new ExperimentReport(results, summaries, PairedRow.all(plan.strategies(), plan.seeds(), results));
    }

    /** Writes every table and plot into {@code dir}, each file atomically, {@value #SUMMARY_JSON} last. */
    public void write(Path dir) throws IOException {
        AtomicFiles.writeString(dir.resolve(RESULTS), resultsCsv());
        AtomicFiles.writeString(dir.resolve(SUMMARY_CSV), summaryCsv());
        AtomicFiles.writeString(dir.resolve(PAIRED), pairedCsv());
        plot(dir.resolve(ACCURACY_VS_PARAMS), Measure.PARAMS, 1, "parameters", "Test accuracy against parameters");
        plot(dir.resolve(ACCURACY_VS_PEAK), Measure.PLANNED_PEAK, MIB, "planned training peak (MiB)",
                "Test accuracy against planned peak memory");
        // last: its presence marks the experiment finished (a --resume refuses it), so everything else is written by then
        AtomicFiles.writeString(dir.resolve(SUMMARY_JSON), summaryJson());
    }

    String resultsCsv() {
        StringBuilder s = new StringBuilder("strategy,seed,status");
        for (Measure m : Measure.values()) {
            s.append(',').append(m.column);
        }
        s.append('\n');
        for (PairResult r : results) {
            s.append(r.pair().strategy().label()).append(',').append(r.pair().seed()).append(',').append(r.status());
            for (Measure m : Measure.values()) {
                s.append(',').append(m.format(r.value(m)));
            }
            s.append('\n');
        }
        return s.toString();
    }

    String summaryCsv() {
        StringBuilder s = new StringBuilder("strategy,measure,n,mean,low,high,failed\n");
        for (StrategySummary sum : summaries) {
            for (Measure m : Measure.values()) {
                Interval i = sum.intervals().get(m);
                s.append(sum.strategy()).append(',').append(m.column).append(',').append(sum.counts().get(m)).append(',')
                        .append(i == null ? "" : statistic(i.estimate())).append(',')
                        .append(i == null ? "" : statistic(i.low())).append(',')
                        .append(i == null ? "" : statistic(i.high())).append(',').append(sum.failed().size()).append('\n');
            }
        }
        return s.toString();
    }

    String pairedCsv() {
        StringBuilder s = new StringBuilder("a,b,measure,better,n,a_wins,a_losses,ties,mean_difference,low,high\n");
        for (PairedRow r : paired) {
            PairedComparison c = r.comparison();
            s.append(r.a()).append(',').append(r.b()).append(',').append(r.measure().column).append(',')
                    .append(r.measure().better.name().toLowerCase(Locale.ROOT)).append(',').append(c.n()).append(',')
                    .append(c.wins()).append(',').append(c.losses()).append(',').append(c.ties()).append(',')
                    .append(statistic(c.difference().estimate())).append(',').append(statistic(c.difference().low()))
                    .append(',').append(statistic(c.difference().high())).append('\n');
        }
        return s.toString();
    }

    String summaryJson() throws JsonProcessingException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("level", MeanInterval.LEVEL);
        root.put("interval", "Student t over the seeds that finished");
        ArrayNode ss = root.putArray("strategies");
        for (StrategySummary sum : summaries) {
            ObjectNode o = ss.addObject();
            o.put("strategy", sum.strategy());
            ArrayNode failed = o.putArray("failed");
            for (PairResult r : sum.failed()) {
                failed.addObject().put("seed", r.pair().seed()).put("error", r.error());
            }
            ObjectNode ms = o.putObject("measures");
            for (Measure m : Measure.values()) {
                ObjectNode mo = ms.putObject(m.column);
                mo.put("n", sum.counts().get(m));
                Interval i = sum.intervals().get(m);
                putNumber(mo, "mean", i == null ? Double.NaN : i.estimate());
                putNumber(mo, "low", i == null ? Double.NaN : i.low());
                putNumber(mo, "high", i == null ? Double.NaN : i.high());
            }
        }
        ArrayNode ps = root.putArray("paired");
        for (PairedRow r : paired) {
            ObjectNode o = ps.addObject();
            o.put("a", r.a());
            o.put("b", r.b());
            o.put("measure", r.measure().column);
            o.put("better", r.measure().better.name().toLowerCase(Locale.ROOT));
            o.put("n", r.comparison().n());
            o.put("a_wins", r.comparison().wins());
            o.put("a_losses", r.comparison().losses());
            o.put("ties", r.comparison().ties());
            putNumber(o, "mean_difference", r.comparison().difference().estimate());
            putNumber(o, "low", r.comparison().difference().low());
            putNumber(o, "high", r.comparison().difference().high());
        }
        return MAPPER.writeValueAsString(root) + "\n";
    }

    /** NaN (no interval from one value) as JSON null. */
    private static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isNaN(v)) {
            o.putNull(key);
        } else {
            o.put(key, v);
        }
    }

    /** A mean or bound: enough digits for accuracies, the same for counts and bytes. */
    private static String statistic(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    private void plot(Path png, Measure cost, double unit, String xLabel, String title) throws IOException {
        List<ScatterPlot.Group> groups = new ArrayList<>();
        for (StrategySummary sum : summaries) {
            List<PairResult> points = results.stream().filter(r -> r.ok() && r.pair().strategy().label().equals(sum.strategy())
                    && !Double.isNaN(r.value(cost))).toList();
            if (points.isEmpty()) {
                continue;
            }
            double[] x = points.stream().mapToDouble(r -> r.value(cost) / unit).toArray();
            double[] y = points.stream().mapToDouble(r -> r.value(Measure.TEST_ACCURACY)).toArray();
            groups.add(new ScatterPlot.Group(sum.strategy(), x, y, ParetoFront.of(y, x)));
        }
        if (!groups.isEmpty()) {
            ScatterPlot.write(png, title, xLabel, "test accuracy", groups);
        }
    }
}
