package org.spidernet.backend.cuda;

/** A failed call into libspidernet_cuda; {@link #status()} is its C status (a cudaError_t when positive). */
public final class CudaException extends RuntimeException {
    private final int status;

    CudaException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
