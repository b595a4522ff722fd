package org.spidernet.backend.cuda;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.spidernet.backend.Availability;
import org.spidernet.backend.reference.ReferenceBackend;

import java.util.Random;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the tests that hold the CUDA backend against the float64 reference share: both backends
 * opened for each test and closed after it, the test skipped with the device's reason where no
 * usable device exists, and a fresh seed per test for the messages.
 */
abstract class CudaAgainstReference {
    protected final long seed = System.nanoTime();
    protected final Random random = new Random(seed);
    protected CudaBackend cuda;
    protected ReferenceBackend reference;

    @BeforeEach
    void openBackends() {
        Availability device = CudaBackendProvider.deviceAvailability();
        assumeTrue(device.usable(), "CUDA backend unavailable: " + device.detail());
        cuda = CudaBackend.open();
        reference = new ReferenceBackend();
    }

    @AfterEach
    void closeBackends() {
        if (cuda != null) {
            beforeCudaCloses();
            cuda.close();
        }
        if (reference != null) {
            reference.close();
        }
    }

    /** Checks that need the CUDA backend still open (none by default). */
    void beforeCudaCloses() {
    }
}
