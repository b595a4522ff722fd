package org.spidernet.io;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A PNG heat map of a confusion matrix, drawn with XChart and written atomically: true class down
 * the rows (first class on top), predicted class across the columns, each cell shaded by its
 * count from white (0) to dark blue (the largest count), with the count written in it when the
 * cells are large enough to hold it.
 */
public final class ConfusionPlot {
    /** Above this many classes the cells are too small for their counts (CIFAR-100 has 100). */
    private static final int MAX_CLASSES_WITH_COUNTS = 20;

    static {
        // Same reason as LinePlot: no X server on a server.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private ConfusionPlot() {
    }

    /**
     * @param counts     [true][predicted], square, one row per class name
     * @param classNames the axis labels
     */
    public static void write(Path png, String title, long[][] counts, List<String> classNames) throws IOException {
        int n = classNames.size();
        if (counts.length != n) {
            throw new IllegalArgumentException("confusion plot: " + counts.length + " rows for " + n + " classes");
        }
        int side = Math.max(600, Math.min(2400, 60 * n + 260));
        HeatMapChart chart = new HeatMapChartBuilder().width(side + 120).height(side).title(title)
                .xAxisTitle("predicted class").yAxisTitle("true class").build();
        var st = chart.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        st.setRangeColors(new Color[]{Color.WHITE, new Color(0xC6, 0xDB, 0xEF), new Color(0x42, 0x92, 0xC6)});
        st.setShowValue(n <= MAX_CLASSES_WITH_COUNTS);
        st.setHeatMapValueDecimalPattern("#0");
        st.setDrawBorder(true);
        st.setXAxisLabelRotation(45);
        st.setMin(0);
        long max = 0;
        List<Number[]> cells = new ArrayList<>(n * n);
        for (int t = 0; t < n; t++) {
            if (counts[t].length != n) {
                throw new IllegalArgumentException("confusion plot: row " + t + " has " + counts[t].length + " columns for "
                        + n + " classes");
            }
            for (int p = 0; p < n; p++) {
                max = Math.max(max, counts[t][p]);
                // XChart's y axis runs upwards: row t goes to y = n-1-t so the first class is on top
                cells.add(new Number[]{p, n - 1 - t, counts[t][p]});
            }
        }
        st.setMax(Math.max(1, max));
        // mid blue at most, so the black counts stay readable in the fullest cells
        List<String> yLabels = new ArrayList<>(classNames);
        java.util.Collections.reverse(yLabels);
        chart.addSeries("images", classNames, yLabels, cells);
        AtomicFiles.write(png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }
}
