package org.spidernet.search.autospace;

import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.PlanOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The resource limits a cell must respect before any supernet holds it: the network that takes
 * the cell at its layer and the reference's cells elsewhere must stay within the multiply-adds
 * per image and parameters (AutoSpace's compute constraint; 0 = no limit) and plan a training
 * peak within the memory budget. Only plans are compiled; nothing is allocated.
 */
public record NetworkLimits(long maxMacs, long maxParams, long memoryBudgetBytes, int batch, int bytesPerElement) {

    /** Whether {@code candidate} at {@code layer} of the reference network fits. */
    public boolean fits(TargetNetwork target, List<AutoCell> reference, int layer, AutoCell candidate) {
        List<AutoCell> cells = new ArrayList<>(reference);
        cells.set(layer, candidate);
        return violation(new AutoNetwork(target, cells)).isEmpty();
    }

    /** The first limit {@code n} breaks, worded for an error; empty when it fits. */
    public Optional<String> violation(AutoNetwork n) {
        ExecutionPlan plan = ExecutionPlan.compile(n.lower(), batch, bytesPerElement, PlanOptions.TRAINING);
        if (maxMacs > 0 && plan.forwardMacsPerImage() > maxMacs) {
            return Optional.of(plan.forwardMacsPerImage() + " multiply-adds per image, over max-macs " + maxMacs);
        }
        if (maxParams > 0 && plan.parameterCount() > maxParams) {
            return Optional.of(plan.parameterCount() + " parameters, over max-params " + maxParams);
        }
        long peak = plan.memoryPlan().peakBytes();
        if (peak > memoryBudgetBytes) {
            return Optional.of(String.format(Locale.ROOT, "a planned training peak of %.1f MiB, over the memory budget of %.1f MiB",
                    peak / 1048576.0, memoryBudgetBytes / 1048576.0));
        }
        return Optional.empty();
    }
}
