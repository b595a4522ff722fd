package org.spidernet.io;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A PNG scatter chart of groups of points (one colour per group), each group with an optional line
 * through some of its points in a given order (the experiment draws each strategy's runs and its
 * Pareto front), drawn with XChart and written atomically.
 */
public final class ScatterPlot {
    /**
     * One group: its points and the indices of those its line joins, in drawing order (empty: no line).
     */
    public record Group(String name, double[] x, double[] y, List<Integer> line) {
        public Group {
            if (x.length != y.length || x.length == 0) {
                throw new IllegalArgumentException("group " + name + ": needs as many x as y values and at least one point, got "
                        + x.length + " and " + y.length);
            }
            for (int i = 0; i < x.length; i++) {
                if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                    throw new IllegalArgumentException("group " + name + ": point " + i + " is not finite");
                }
            }
            x = x.clone();
            y = y.clone();
            line = List.copyOf(line);
        }
    }

    static {
        // as LinePlot: draw without a display
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private ScatterPlot() {
    }

    public static void write(Path png, String title, String xLabel, String yLabel, List<Group> groups) throws IOException {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("a scatter plot needs at least one group");
        }
        XYChart chart = new XYChartBuilder().width(LinePlot.WIDTH).height(LinePlot.HEIGHT)
                .title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        var st = chart.getStyler();
        st.setLegendPosition(Styler.LegendPosition.OutsideS);
        st.setLegendLayout(Styler.LegendLayout.Horizontal);
        st.setMarkerSize(8);
        st.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        var colors = st.getSeriesColors();
        for (int g = 0; g < groups.size(); g++) {
            Group group = groups.get(g);
            XYSeries points = chart.addSeries(group.name(), group.x(), group.y());
            points.setMarker(SeriesMarkers.CIRCLE);
            points.setMarkerColor(colors[g % colors.length]);
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
        AtomicFiles.write(png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }
}
