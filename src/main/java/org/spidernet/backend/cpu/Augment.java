package org.spidernet.backend.cpu;

import java.util.Objects;
import org.spidernet.backend.AugmentOps;
import org.spidernet.backend.AugmentPlan;
import org.spidernet.backend.Tensor;

/** Batch augmentation on the {@link CpuBackend}: the plan's checks, then {@link AugmentKernel}. */
final class Augment implements AugmentOps {
    private final Storage storage;
    private final WorkerPool pool;

    Augment(Storage storage, WorkerPool pool) {
        this.storage = storage;
        this.pool = pool;
    }

    @Override
    public void augment(byte[] raw, Tensor out, AugmentPlan plan) {
        Objects.requireNonNull(raw, "augment: raw is null");
        Objects.requireNonNull(plan, "augment: plan is null");
        CpuTensor os = storage.tensor(out, "augment", "out");
        plan.check("augment", raw, out.shape());
        int[] s = out.shape();
        AugmentKernel.apply(pool, raw, os.buffer(), s[0], s[1], s[2], s[3], plan);
    }
}
