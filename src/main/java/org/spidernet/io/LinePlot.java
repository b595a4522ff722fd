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
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A PNG line chart of one or more series over a shared x axis (the search plots validation
 * accuracy, parameters and planned/measured peak memory per iteration), drawn with XChart and
 * written atomically. A NaN y value is a missing point: the line has a gap there.
 */
public final class LinePlot {
    public static final int WIDTH = 900;
    public static final int HEIGHT = 540;
    /** Series whose names fit in one legend row under the plot. */
    private static final int MAX_LEGEND_ROW = 4;

    static {
        headless();
    }

    /**
     * Runs happen on servers without a display. XChart draws with AWT, which must not try to
     * reach an X server (DISPLAY may be set to one that is gone); an explicit setting is kept.
     */
    static void headless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private LinePlot() {
    }

    /**
     * Writes the chart to {@code png}.
     *
     * @param x      the x values, finite, shared by every series
     * @param series name to y values, each as long as {@code x}; drawn (and listed in the legend) in map order
     * @throws IllegalArgumentException if there is no point or no series, a length differs, an x value is
     *                                  not finite, or a y value is infinite
     */
    public static void write(Path png, String title, String xLabel, String yLabel, double[] x,
                             LinkedHashMap<String, double[]> series) throws IOException {
        check(x, series);
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        style(chart, x, series.size());
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            XYSeries s = chart.addSeries(e.getKey(), x.clone(), e.getValue().clone());
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        AtomicFiles.write(png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }

    private static void style(XYChart chart, double[] x, int seriesCount) {
        var st = chart.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotBorderColor(Color.GRAY);
        st.setPlotGridLinesColor(new Color(0xDD, 0xDD, 0xDD));
        // a row under the plot holds a few names; more (one per op of an alpha plot) would run off its edge
        boolean many = seriesCount > MAX_LEGEND_ROW;
        st.setLegendPosition(many ? Styler.LegendPosition.OutsideE : Styler.LegendPosition.OutsideS);
        st.setLegendLayout(many ? Styler.LegendLayout.Vertical : Styler.LegendLayout.Horizontal);
        st.setLegendBorderColor(Color.WHITE);
        st.setMarkerSize(6);
        st.setAntiAlias(true);
        if (allIntegers(x)) {
            // iterations and epochs: no "2.5" ticks between whole steps
            st.setXAxisDecimalPattern("#,##0");
            st.setXAxisTickMarkSpacingHint(Math.max(40, (WIDTH - 120) / Math.max(1, x.length)));
        }
        st.setYAxisDecimalPattern("#,##0.#####"); // alpha weights move in the fourth decimal
    }

    private static boolean allIntegers(double[] x) {
        for (double v : x) {
            if (v != Math.rint(v)) {
                return false;
            }
        }
        return true;
    }

    private static void check(double[] x, LinkedHashMap<String, double[]> series) {
        if (x.length == 0) {
            throw new IllegalArgumentException("line plot: no points");
        }
        if (series.isEmpty()) {
            throw new IllegalArgumentException("line plot: no series");
        }
        for (double v : x) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("line plot: x value " + v + " is not finite");
            }
        }
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            double[] y = e.getValue();
            if (y.length != x.length) {
                throw new IllegalArgumentException("line plot: series '" + e.getKey() + "' has " + y.length
                        + " values for " + x.length + " x values");
            }
            for (double v : y) {
                if (Double.isInfinite(v)) {
                    // NaN means "no value"; an infinity is a bug upstream and would flatten the axis
                    throw new IllegalArgumentException("line plot: series '" + e.getKey() + "' holds " + v);
                }
            }
        }
    }
}
