package org.spidernet.backend.cuda;

import java.util.Arrays;

/**
 * The device copy of the fused SGD update's table (tensor addresses, sizes and chunk offsets, see
 * {@code cuda-kernels/sgd_momentum.cu}), kept between calls so a training step, which passes the
 * same tensors every time, copies nothing to the device in the steady state. A copy to the device
 * waits for the stream, so re-uploading every step would also stall the host once per step.
 *
 * <p>The cache key is the table's own content (every address and size), not the identity of the
 * caller's lists: a cached table is reused only when it is exactly what would be uploaded, so it
 * cannot go stale. A closed tensor is refused by the backend before the lookup, and a tensor
 * allocated in its place, at a new address or with a new size, changes the key and causes one
 * upload; one at the same address and size is served correctly by the old table. The check costs
 * 4 comparisons of longs per tensor on the host. One table is kept (one training loop per backend).
 */
final class SgdMomentumTable implements AutoCloseable {
    private final CudaContext context;
    private final Scratch device;
    private long[] key;
    private long chunks;
    private long uploads;

    SgdMomentumTable(CudaContext context) {
        this.context = context;
        this.device = new Scratch(context, "SGD momentum table");
    }

    /**
     * The device address of the table for {@code addressesAndCounts} (param, grad and velocity
     * addresses, then element counts, each a block of {@code tensors} entries), uploading it when
     * it differs from the cached one. {@link #chunks()} is then the launch's chunk count.
     */
    long pointer(long[] addressesAndCounts, int tensors) {
        if (addressesAndCounts.length != 4L * tensors) {
            throw new IllegalArgumentException("SGD momentum table: " + addressesAndCounts.length
                    + " addresses and counts for " + tensors + " tensors");
        }
        if (key == null || !Arrays.equals(key, addressesAndCounts)) {
            long entries = CudaNative.sgdMomentumTableEntries(tensors);
            long[] table = new long[Math.toIntExact(entries)];
            CudaNative.check(CudaNative.sgdMomentumTable(addressesAndCounts, tensors, table, entries),
                    "snc_sgd_momentum_table");
            key = null; // a failed upload must not leave a key whose table never arrived
            long pointer = device.pointer(entries * Long.BYTES);
            CudaNative.check(CudaNative.copyPointersToDevice(context.handle(), pointer, table, entries),
                    "snc_copy_pointers_to_device (SGD momentum table)");
            key = addressesAndCounts.clone();
            chunks = table[table.length - 1];
            uploads++;
        }
        return device.pointer(0);
    }

    /** True when the device holds the table for {@code addressesAndCounts}: {@link #pointer} would copy nothing. */
    boolean holds(long[] addressesAndCounts) {
        return key != null && Arrays.equals(key, addressesAndCounts);
    }

    /** Chunks of the table last returned by {@link #pointer}. */
    long chunks() {
        return chunks;
    }

    /** Tables copied to the device so far: tests check that a repeated step adds none. */
    long uploads() {
        return uploads;
    }

    /** Bytes of device memory held. */
    long bytes() {
        return device.bytes();
    }

    @Override
    public void close() {
        key = null;
        device.close();
    }
}
