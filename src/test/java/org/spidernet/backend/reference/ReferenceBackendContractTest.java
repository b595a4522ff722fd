package org.spidernet.backend.reference;

import org.spidernet.backend.Backend;
import org.spidernet.backend.BackendContractTest;

/**
 * Runs the backend contract with a second reference backend as the backend under test: a sanity
 * check of the harness itself. The reference is deterministic, so the two instances must agree
 * bit for bit, and the tolerance is zero.
 */
class ReferenceBackendContractTest extends BackendContractTest {

    @Override
    protected Backend openBackend() {
        return new ReferenceBackend();
    }

    @Override
    protected double tolerance() {
        return 0.0;
    }
}
