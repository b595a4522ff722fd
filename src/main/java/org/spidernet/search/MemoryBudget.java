package org.spidernet.search;

import org.spidernet.exec.ExecutionPlan;
import org.spidernet.graph.Genome;

/**
 * The hardware constraint: a network may be trained only if its execution plan's exact peak at
 * the training batch size fits the budget. Nothing is built to find out.
 */
public record MemoryBudget(long bytes, int batch, int bytesPerElement) {

    public long plannedPeak(Genome g) {
        return ExecutionPlan.compile(g, batch, bytesPerElement).memoryPlan().peakBytes();
    }

    public boolean fits(Genome g) {
        return plannedPeak(g) <= bytes;
    }

    /** The same budget with another number of bytes. */
    public MemoryBudget withBytes(long newBytes) {
        return new MemoryBudget(newBytes, batch, bytesPerElement);
    }
}
