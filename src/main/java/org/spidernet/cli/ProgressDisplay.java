package org.spidernet.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.spidernet.train.EpochMetrics;
import org.spidernet.train.TrainingListener;

import java.util.Locale;

/**
 * A progress bar on stderr per epoch (where asked for), with the running loss, and a one-line
 * summary of each epoch in the log.
 */
final class ProgressDisplay implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressDisplay.class);
    private final int epochs;
    private final boolean drawBar;
    private ProgressBar bar;
    private double lossSum;

    ProgressDisplay(int epochs, boolean drawBar) {
        this.epochs = epochs;
        this.drawBar = drawBar;
    }

    @Override
    public void epochStarted(int epoch, int steps) {
        lossSum = 0;
        if (!drawBar) {
            return;
        }
        // redraw often on a terminal; when stderr goes to a log file, a line every 15 s is plenty
        boolean terminal = System.console() != null;
        bar = new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, epochs))
                .setInitialMax(steps).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(terminal ? 500 : 15000)
                .setUnit(" steps", 1).showSpeed().build();
    }

    @Override
    public void stepFinished(int epoch, int step, double loss) {
        lossSum += loss;
        if (bar == null) {
            return;
        }
        bar.step();
        bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", lossSum / (step + 1)));
    }

    @Override
    public void epochFinished(EpochMetrics m) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        LOG.info(String.format(Locale.ROOT, "epoch %d: train loss %.4f acc %.4f | val loss %.4f acc %.4f | open gates %d, deleted %d | %.1f s, %.0f img/s",
                m.epoch() + 1, m.trainLoss(), m.trainAccuracy(), m.validationLoss(), m.validationAccuracy(), m.openGates(),
                m.pruned(), m.seconds(), m.imagesPerSecond()));
    }
}
