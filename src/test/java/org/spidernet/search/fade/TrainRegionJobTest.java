package org.spidernet.search.fade;

import org.junit.jupiter.api.Test;
import org.spidernet.jobs.FailureKind;
import org.spidernet.jobs.JobOutcome;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A train-region job's result through the wire form of an outcome gives back the trained region
 * to the bit (fresh random log weights over many magnitudes, seed in the message), and its
 * failures are what the in-process search throws.
 */
class TrainRegionJobTest {

    @Test
    void aTrainedRegionCrossesTheWireBitForBit() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        FadeRegion region = RegionResultTest.region(3, 4, seed);
        double[][] lw = new double[3][4];
        for (double[] row : lw) {
            for (int i = 0; i < row.length; i++) {
                row[i] = -Math.abs(r.nextGaussian()) * Math.pow(10, r.nextInt(40) - 20);
            }
        }
        lw[1][2] = -Double.MIN_VALUE; // subnormal
        lw[2][0] = 0.1 + 0.2 - 1;     // no short decimal
        RegionTraining.Trained t = new RegionTraining.Trained(new RegionResult(region, lw, r.nextDouble()),
                r.nextInt(1 << 30), (1L << 52) + r.nextInt(1000), r.nextLong() >>> 12);
        String wire = JobOutcome.of(TrainRegionJob.result(t)).toJson();
        RegionTraining.Trained back = TrainRegionJob.trained(region, JobOutcome.fromJson(wire));
        for (int s = 0; s < 3; s++) {
            for (int i = 0; i < 4; i++) {
                assertEquals(Double.doubleToRawLongBits(lw[s][i]), Double.doubleToRawLongBits(back.result().logWeight(s, i)),
                        "stage " + s + " candidate " + i + ", seed " + seed);
            }
        }
        assertEquals(Double.doubleToRawLongBits(t.result().validationAccuracy()),
                Double.doubleToRawLongBits(back.result().validationAccuracy()), "seed " + seed);
        assertEquals(t.params(), back.params(), "seed " + seed);
        assertEquals(t.plannedPeakBytes(), back.plannedPeakBytes(), "seed " + seed);
        assertEquals(t.measuredPeakBytes(), back.measuredPeakBytes(), "seed " + seed);
        assertEquals(region, back.result().region());
        assertArrayEquals(t.result().best(), back.result().best(), "seed " + seed);
    }

    @Test
    void aRefusalIsTheInProcessErrorAndAnOutOfMemoryAdvises() {
        FadeRegion region = RegionResultTest.region(2, 2, System.nanoTime());
        String refusal = "a FaDE region (2 stages x 2 candidate cells, C=2, batch 8) plans a training peak of 3.0 MiB, over ...";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainRegionJob.trained(region, JobOutcome.failed(FailureKind.FAILED, refusal)));
        assertEquals(refusal, e.getMessage());
        IllegalStateException oom = assertThrows(IllegalStateException.class,
                () -> TrainRegionJob.trained(region, JobOutcome.failed(FailureKind.OUT_OF_MEMORY, "out of device memory")));
        assertTrue(oom.getMessage().startsWith("out of device memory; give the search a larger device"), oom.getMessage());
    }
}
