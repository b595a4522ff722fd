package org.spidernet.io;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A PNG scatter chart of groups of points (one colour per group), each group with an optional line
 * through some of its points in a given order: the experiment draws each strategy's runs and its
 * Pareto front, correlate one metric against trained accuracy. Drawn with XChart in
 * {@link LinePlot}'s size and written atomically.
 */
public final class ScatterPlot {
    /**
     * One group: its points and the indices of those its line joins, in drawing order (empty: no line).
     */
    public record Group(String name, double[] x, double[] y, List<Integer> line) {
        public Group {
            if (x.length != y.length) {
                throw new IllegalArgumentException("group " + name + ": needs as many x as y values, got "
                        + x.length + " and " + y.length);
            }
            for (int i = 0; i < x.length; i++) {
                if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                    throw new IllegalArgumentException("group " + name + ": point " + i + " is (" + x[i] + ", " + y[i] + ")");
                }
            }
            x = x.clone();
            y = y.clone();
            line = List.copyOf(line);
        }
    }

    static {
        LinePlot.headless();
    }

    private ScatterPlot() {
    }

    /** One group of points without a legend or line (a metric against accuracy); it may be empty. */
    public static void write(Path png, String title, String xLabel, String yLabel, double[] x, double[] y)
            throws IOException {
        XYChart chart = chart(title, xLabel, yLabel, List.of(new Group("architectures", x, y, List.of())));
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisDecimalPattern("0.###E0");
        chart.getStyler().setYAxisDecimalPattern("0.000");
        save(png, chart);
    }

    public static void write(Path png, String title, String xLabel, String yLabel, List<Group> groups) throws IOException {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("a scatter plot needs at least one group");
        }
        save(png, chart(title, xLabel, yLabel, groups));
    }

    private static XYChart chart(String title, String xLabel, String yLabel, List<Group> groups) {
        XYChart chart = new XYChartBuilder().width(LinePlot.WIDTH).height(LinePlot.HEIGHT)
                .title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        var st = chart.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotBorderColor(Color.GRAY);
        st.setPlotGridLinesColor(new Color(0xDD, 0xDD, 0xDD));
        st.setAntiAlias(true);
        st.setLegendPosition(Styler.LegendPosition.OutsideS);
        st.setLegendLayout(Styler.LegendLayout.Horizontal);
        st.setMarkerSize(8);
        st.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        var colors = st.getSeriesColors();
        for (int g = 0; g < groups.size(); g++) {
            Group group = groups.get(g);
            boolean empty = group.x().length == 0;
            // XChart cannot draw a series without points: an empty group is one invisible point
            XYSeries points = chart.addSeries(group.name(), empty ? new double[]{0} : group.x(),
                    empty ? new double[]{0} : group.y());
            points.setMarker(SeriesMarkers.CIRCLE);
            points.setMarkerColor(empty ? new Color(0, 0, 0, 0) : colors[g % colors.length]);
            if (!group.line().isEmpty()) {
                double[] lx = new double[group.line().size()];
                double[] ly = new double[lx.length];
                for (int k = 0; k < lx.length; k++) {
                    lx[k] = group.x()[group.line().get(k)];
                    ly[k] = group.y()[group.line().get(k)];
                }
                XYSeries front = chart.addSeries(group.name() + " Pareto front", lx, ly);
                front.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                front.setMarker(SeriesMarkers.NONE);
                front.setLineColor(colors[g % colors.length]);
            }
        }
        return chart;
    }

    private static void save(Path png, XYChart chart) throws IOException {
        AtomicFiles.write(png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }
}
