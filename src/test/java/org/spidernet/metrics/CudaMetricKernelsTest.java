package org.spidernet.metrics;

/**
 * {@link MetricKernelsContract} on the CUDA backend: naswot_v2 and the NTK's Gram matrix through
 * the device kernels against the host computation from downloaded ReLU inputs and gradients.
 * Skipped, with the probe's reason, without a usable device.
 */
class CudaMetricKernelsTest extends MetricKernelsContract {
    @Override
    String backendName() {
        return "cuda";
    }
}
