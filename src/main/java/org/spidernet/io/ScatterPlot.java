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

/**
 * A PNG scatter plot of paired values (a metric against trained accuracy), drawn with XChart in
 * {@link LinePlot}'s size and colours and written atomically.
 */
public final class ScatterPlot {
    static {
        LinePlot.headless();
    }

    private ScatterPlot() {
    }

    /** @throws IllegalArgumentException if the lengths differ or a value is not finite */
    public static void write(Path png, String title, String xLabel, String yLabel, double[] x, double[] y)
            throws IOException {
        if (x.length != y.length) {
            throw new IllegalArgumentException("scatter plot " + png + ": " + x.length + " x values, " + y.length + " y values");
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                throw new IllegalArgumentException("scatter plot " + png + ": point " + i + " is (" + x[i] + ", " + y[i] + ")");
            }
        }
        XYChart chart = new XYChartBuilder().width(LinePlot.WIDTH).height(LinePlot.HEIGHT)
                .title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        var st = chart.getStyler();
        st.setDefaultSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotBorderColor(Color.GRAY);
        st.setPlotGridLinesColor(new Color(0xDD, 0xDD, 0xDD));
        st.setLegendVisible(false);
        st.setMarkerSize(7);
        st.setAntiAlias(true);
        st.setXAxisDecimalPattern("0.###E0");
        st.setYAxisDecimalPattern("0.000");
        st.setLegendPosition(Styler.LegendPosition.OutsideS);
        // XChart cannot draw a series without points: an empty plot keeps its axes and title
        XYSeries s = chart.addSeries("architectures", x.length == 0 ? new double[]{0} : x.clone(),
                y.length == 0 ? new double[]{0} : y.clone());
        s.setMarker(SeriesMarkers.CIRCLE);
        if (x.length == 0) {
            s.setMarkerColor(new Color(0, 0, 0, 0));
        }
        AtomicFiles.write(png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }
}
