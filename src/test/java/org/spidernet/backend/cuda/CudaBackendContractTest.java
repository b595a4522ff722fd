package org.spidernet.backend.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.spidernet.backend.Availability;
import org.spidernet.backend.Backend;
import org.spidernet.backend.BackendContractTest;

/**
 * The backend contract for the float32 CUDA backend, op by op against the float64 reference on
 * fresh random inputs. Skipped, with the probe's reason, where no usable CUDA device exists.
 *
 * <p>Tolerance 1e-4, i.e. |cuda - ref| &lt;= 1e-4 * max|ref| + 1e-4 * |ref| per tensor, the
 * same as the CPU backend's: inputs are float32-exact on both sides, so only arithmetic error
 * counts. The kernels' long sums (dot products, BatchNorm statistics, filter gradients, the loss)
 * accumulate in float64; convolutions and pooling sum at most a few hundred float32 terms per
 * output, about 1e-6 relative, so 1e-4 leaves a wide margin while any convention error (a flipped
 * kernel, a wrong divisor, padding or tie rule, a biased variance, an overwrite instead of an
 * accumulation) is off by far more.
 */
class CudaBackendContractTest extends BackendContractTest {

    @Override
    protected Backend openBackend() {
        Availability device = CudaBackendProvider.deviceAvailability();
        assumeTrue(device.usable(), "CUDA backend unavailable: " + device.detail());
        return CudaBackend.open();
    }

    @Override
    protected double tolerance() {
        return 1e-4;
    }
}
