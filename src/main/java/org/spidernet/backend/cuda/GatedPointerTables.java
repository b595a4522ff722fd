package org.spidernet.backend.cuda;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Device copies of the fused kernels' pointer tables (the addresses of a call's x and dx
 * tensors), kept between calls so that a training step, which passes the same tensors every
 * time, copies nothing to the device in the steady state, and a captured step's kernels point at
 * tables that stay put. A copy to the device waits for the stream, which a captured step may
 * not do: a table missing while recording is an {@link IllegalStateException} (the eager run
 * before a recording creates them).
 *
 * <p>The key is the table's content (every address), so a cached table is reused only when it
 * is exactly what would be uploaded: it cannot go stale, whatever was freed and allocated since.
 * At most {@link #LIMIT} tables are kept; at the limit every table is freed (stream-ordered)
 * and {@link #generation()} changes, which makes captured steps record again.
 * {@link #makeRoom()}, called before a step is recorded, empties a cache that is more than half
 * full, so the step's own tables (fewer than half the limit) are never evicted between its
 * eager run and its recording.
 */
final class GatedPointerTables implements AutoCloseable {
    static final int LIMIT = 1024;

    private record Key(long[] addresses, int hash) {
        Key(long[] addresses) {
            this(addresses, Arrays.hashCode(addresses));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && Arrays.equals(k.addresses, addresses);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private final CudaContext context;
    private final Map<Key, DeviceBuffer> tables = new HashMap<>();
    private long uploads;
    private long generation;
    private long bytes;

    GatedPointerTables(CudaContext context) {
        this.context = context;
    }

    /**
     * The device address of a table holding {@code addresses}, uploading it on first use
     * (refused with {@code op} named while {@code recording}).
     */
    long pointer(long[] addresses, boolean recording, String op) {
        Key key = new Key(addresses.clone());
        DeviceBuffer table = tables.get(key);
        if (table != null) {
            return table.pointer();
        }
        if (recording) {
            throw new IllegalStateException(op + ": a new pointer table would be copied to the device inside a "
                    + "captured step; run the step once before recording it");
        }
        if (tables.size() >= LIMIT) {
            clear();
        }
        long tableBytes = (long) Math.max(addresses.length, 1) * Long.BYTES;
        table = context.allocate(tableBytes);
        try {
            CudaNative.check(CudaNative.copyPointersToDevice(context.handle(), table.pointer(), addresses,
                    addresses.length), "snc_copy_pointers_to_device (gated-sum table)");
        } catch (RuntimeException e) {
            table.close();
            throw e;
        }
        tables.put(key, table);
        bytes += tableBytes;
        uploads++;
        return table.pointer();
    }

    /** Empties the cache when it is more than half full (see the class comment). */
    void makeRoom() {
        if (tables.size() > LIMIT / 2) {
            clear();
        }
    }

    private void clear() {
        RuntimeException first = null;
        for (DeviceBuffer b : tables.values()) {
            try {
                b.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        tables.clear();
        bytes = 0;
        generation++;
        if (first != null) {
            throw first;
        }
    }

    /** Tables copied to the device so far (tests: a repeated step adds none). */
    long uploads() {
        return uploads;
    }

    /** Changes whenever tables were freed: a graph recorded before must be recorded again. */
    long generation() {
        return generation;
    }

    /** Bytes of the tables held (before the pool's rounding). */
    long bytes() {
        return bytes;
    }

    @Override
    public void close() {
        clear();
    }
}
