package org.spidernet.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.spidernet.train.EpochMetrics;
import org.spidernet.train.TrainingListener;

import java.util.Locale;

/** A progress bar on stderr per epoch, with the running loss, and a one-line summary after it. */
final class ProgressDisplay implements TrainingListener {
    private final int epochs;
    private ProgressBar bar;
    private double lossSum;

    ProgressDisplay(int epochs) {
        this.epochs = epochs;
    }

    @Override
    public void epochStarted(int epoch, int steps) {
        lossSum = 0;
        // redraw often on a terminal; when stderr goes to a log file, a line every 15 s is plenty
        boolean terminal = System.console() != null;
        bar = new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, epochs))
                .setInitialMax(steps).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(terminal ? 500 : 15000)
                .setUnit(" steps", 1).showSpeed().build();
    }

    @Override
    public void stepFinished(int epoch, int step, double loss) {
        lossSum += loss;
        bar.step();
        bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", lossSum / (step + 1)));
    }

    @Override
    public void epochFinished(EpochMetrics m) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        System.err.printf(Locale.ROOT, "epoch %d: train loss %.4f acc %.4f | val loss %.4f acc %.4f | open gates %d, deleted %d | %.1f s, %.0f img/s%n",
                m.epoch() + 1, m.trainLoss(), m.trainAccuracy(), m.validationLoss(), m.validationAccuracy(), m.openGates(),
                m.pruned(), m.seconds(), m.imagesPerSecond());
    }
}
