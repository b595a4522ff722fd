package org.spidernet.backend;

/**
 * Tensor storage of a backend: allocation, copies between host arrays and tensors, and the
 * allocation accounting execution plans are checked against.
 */
public interface StorageOps {

    /**
     * A new tensor of the given shape, filled with zeros.
     *
     * @throws DeviceOutOfMemoryException when the device cannot hold it (its memory, or the
     *         capacity the backend was opened with, is used up); nothing is then allocated and
     *         {@link #memory()} is unchanged
     */
    Tensor allocate(int... shape);

    /** Copies {@code data} (length must equal the tensor size) into {@code dst}. */
    void upload(Tensor dst, double[] data);

    /** Copies {@code data} (length must equal the tensor size) into {@code dst}. */
    void upload(Tensor dst, float[] data);

    /** The tensor's contents as float64, row-major. */
    double[] download(Tensor src);

    /** Allocation accounting since the backend was opened. */
    MemoryStats memory();

    /** Sets the high-water mark to the bytes in use now. */
    void resetPeak();
}
