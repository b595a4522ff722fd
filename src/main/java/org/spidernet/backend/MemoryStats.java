package org.spidernet.backend;

/**
 * What a backend has allocated through {@link Backend#allocate}: bytes held now, the
 * high-water mark since the last {@link Backend#resetPeak()}, and the number of live tensors.
 * Execution plans are checked against these numbers.
 */
public record MemoryStats(long bytesInUse, long peakBytes, long liveTensors) {
}
