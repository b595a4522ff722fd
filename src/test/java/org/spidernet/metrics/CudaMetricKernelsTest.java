package org.spidernet.metrics;

import org.spidernet.backend.cuda.EmulatedCudaBackendProvider;

/**
 * {@link MetricKernelsContract} on the CUDA backend, on a GPU or the emulated device (whichever
 * this JVM runs): naswot_v2 and the NTK's Gram matrix through the device kernels against the host
 * computation from downloaded ReLU inputs and gradients. Skipped, with the probe's reason, without
 * a usable device.
 */
class CudaMetricKernelsTest extends MetricKernelsContract {
    @Override
    String backendName() {
        return new EmulatedCudaBackendProvider().availability().usable() ? EmulatedCudaBackendProvider.NAME : "cuda";
    }
}
