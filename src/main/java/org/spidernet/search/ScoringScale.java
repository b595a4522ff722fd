package org.spidernet.search;

import org.spidernet.metrics.LinearRegionCount;
import org.spidernet.metrics.MetricRegistry;
import org.spidernet.metrics.NtkConditionNumber;
import org.spidernet.metrics.TrainFreeMetric;

/**
 * How much data each train-free score sees. SpiderNet: NTK over 3 batches of 64 at width 3,
 * linear regions over 3 batches of 1000 crops at width 1. Small machines use less.
 */
public record ScoringScale(int ntkBatches, int ntkBatchSize, int lrcBatches, int lrcBatchSize) {
    public static final ScoringScale SPIDERNET = new ScoringScale(3, 64, 3, 1000);

    public ScoringScale {
        if (ntkBatches < 1 || ntkBatchSize < 2 || lrcBatches < 1 || lrcBatchSize < 2) {
            throw new IllegalArgumentException("scoring scale: every batch count must be >= 1 and size >= 2, got "
                    + "ntk " + ntkBatches + "x" + ntkBatchSize + ", lrc " + lrcBatches + "x" + lrcBatchSize);
        }
    }

    /** SpiderNet's NTK width (C = 3); linear regions use {@link LinearRegionCount}'s width 1. */
    public static final int NTK_WIDTH = 3;

    /**
     * The registry's metric by name (case-insensitive), the NTK and linear regions at SpiderNet's
     * widths with this scale's data amounts, every other metric at its reference's settings.
     *
     * @throws IllegalArgumentException naming the known metrics when there is none by that name
     */
    public TrainFreeMetric metric(String name) {
        TrainFreeMetric m = MetricRegistry.byName(name);
        if (m.name().equals(NtkConditionNumber.NAME) || m.name().equals(NtkConditionNumber.CENTRED_NAME)) {
            return new NtkConditionNumber(NTK_WIDTH, ntkBatches, ntkBatchSize,
                    m.name().equals(NtkConditionNumber.CENTRED_NAME));
        }
        if (m.name().equals(LinearRegionCount.NAME)) {
            return new LinearRegionCount(lrcBatches, lrcBatchSize);
        }
        return m;
    }
}
