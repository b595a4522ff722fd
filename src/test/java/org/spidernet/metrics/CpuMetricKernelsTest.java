package org.spidernet.metrics;

/** {@link MetricKernelsContract} on the float32 CPU backend. */
class CpuMetricKernelsTest extends MetricKernelsContract {
    @Override
    String backendName() {
        return "cpu";
    }
}
