package org.spidernet.backend.cpu;

import org.spidernet.backend.Backend;
import org.spidernet.backend.BackendContractTest;

/**
 * The backend contract for the float32 CPU backend, against the float64 reference.
 *
 * <p>Tolerance 1e-4, i.e. |cpu - ref| &lt;= 1e-4 * max|ref| + 1e-4 * |ref| per tensor. Inputs are
 * float32-exact on both sides, so only arithmetic error counts: float32 rounds at 6e-8, and the
 * longest sums here (BatchNorm statistics over N*H*W, filter gradients over N*H'*W', dot
 * products) grow that to about 1e-6 of the terms' magnitude: this class also passed, over
 * repeated random seeds, at 1e-5. 1e-4 leaves that margin against unlucky seeds while any convention
 * error (a flipped kernel, a wrong divisor or padding, a biased variance, an overwrite instead
 * of an accumulation) is off by far more. The backend gets 3 workers so shares are uneven even
 * on a 2-core machine.
 */
class CpuBackendContractTest extends BackendContractTest {

    @Override
    protected Backend openBackend() {
        return new CpuBackend(3);
    }

    @Override
    protected double tolerance() {
        return 1e-4;
    }
}
