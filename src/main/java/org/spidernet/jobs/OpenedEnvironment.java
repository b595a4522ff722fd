package org.spidernet.jobs;

import org.spidernet.backend.Backend;
import org.spidernet.backend.BackendProvider;
import org.spidernet.backend.Backends;
import org.spidernet.data.TrainingData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An executor's environment: opens each referenced backend once per thread (a backend is not
 * shared between jobs running at once; executors run one job per task slot, each slot on its own
 * thread) and loads each referenced dataset once for all threads (the data is read-only). Kept
 * for the executor's life; {@link #close()} closes every backend it opened.
 */
public final class OpenedEnvironment implements JobEnvironment, AutoCloseable {
    private record ThreadBackend(long thread, BackendRef ref) {
    }

    private final Map<ThreadBackend, Backend> backends = new ConcurrentHashMap<>();
    private final Map<DataRef, TrainingData> data = new ConcurrentHashMap<>();

    @Override
    public Backend backend(BackendRef ref) {
        return backends.computeIfAbsent(new ThreadBackend(Thread.currentThread().getId(), ref), k -> {
            BackendProvider p = Backends.resolve(ref.name());
            return ref.deviceMemoryBytes() != null ? p.open(ref.deviceMemoryBytes()) : p.open();
        });
    }

    @Override
    public TrainingData data(DataRef ref) {
        return data.computeIfAbsent(ref, r -> {
            try {
                return TrainingData.load(r.dataset(), r.dir() == null ? null : Path.of(r.dir()), r.limit(), r.validation(),
                        r.batch());
            } catch (IOException e) {
                throw new UncheckedIOException("dataset " + r.dataset() + " on this executor: " + e.getMessage(), e);
            }
        });
    }

    @Override
    public void close() {
        List<Backend> open = new ArrayList<>(backends.values());
        backends.clear();
        for (Backend b : open) {
            b.close();
        }
    }
}
