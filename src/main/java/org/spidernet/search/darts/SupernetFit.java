package org.spidernet.search.darts;

import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.PlanOptions;
import org.spidernet.graph.ir.AlphaGroup;
import org.spidernet.train.BilevelStep;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a DARTS supernet's training fits the memory budget, from its plan before anything is
 * allocated, and, when it does not, the nearest settings that would: the largest smaller batch,
 * the widest narrower C, the most cells, each on its own.
 */
public final class SupernetFit {
    private SupernetFit() {
    }

    /**
     * The planned peak of the supernet's search at this batch, in bytes of the given element size:
     * its training plan's, plus the parameter copies a second-order step keeps beside it.
     */
    public static long plannedPeak(DartsSkeleton s, AlphaGroup.Mixing mixing, int batch, int bytesPerElement,
                                   boolean secondOrder) {
        return BilevelStep.plannedPeak(ExecutionPlan.compile(DartsLowering.supernet(s, mixing), batch, bytesPerElement,
                PlanOptions.TRAINING), secondOrder);
    }

    /**
     * Refuses the supernet of {@code s} (compiled as {@code supernet}) over {@code budget} with a
     * message giving its planned peak and the flags that would fit; returns its peak when it fits.
     * Only a refusal compiles other settings.
     */
    public static long require(ExecutionPlan supernet, DartsSkeleton s, AlphaGroup.Mixing mixing, boolean secondOrder,
                               long budget) {
        long peak = BilevelStep.plannedPeak(supernet, secondOrder);
        if (peak <= budget) {
            return peak;
        }
        int batch = supernet.batchSize();
        int bytesPerElement = supernet.bytesPerElement();
        List<String> fits = new ArrayList<>();
        for (int b = batch / 2; b >= 2; b /= 2) {
            if (plannedPeak(s, mixing, b, bytesPerElement, secondOrder) <= budget) {
                fits.add("--batch " + b);
                break;
            }
        }
        for (int c = s.channels() - 2; c >= 2; c -= Math.max(2, c / 4 / 2 * 2)) {
            if (plannedPeak(new DartsSkeleton(s.input(), c, s.layers()), mixing, batch, bytesPerElement, secondOrder) <= budget) {
                fits.add("--channels " + c);
                break;
            }
        }
        for (int l = s.layers() - 1; l >= 3; l--) {
            if (plannedPeak(new DartsSkeleton(s.input(), s.channels(), l), mixing, batch, bytesPerElement, secondOrder) <= budget) {
                fits.add("--option layers=" + l);
                break;
            }
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "the DARTS supernet (C=%d, %d cells, batch %d) plans a training peak of %.1f MiB, over the memory budget of %.1f MiB (--memory); %s",
                s.channels(), s.layers(), batch, peak / 1048576.0, budget / 1048576.0,
                fits.isEmpty() ? "no smaller batch, C or cell count fits: raise --memory"
                        : "it fits with " + String.join(", or ", fits)));
    }
}
