package org.spidernet.backend.reference;

import java.util.Objects;
import org.spidernet.backend.AugmentOps;
import org.spidernet.backend.AugmentPlan;
import org.spidernet.backend.Tensor;

/** The input augmentation of the {@link ReferenceBackend}, on {@link Augment}. */
final class ReferenceAugment implements AugmentOps {
    private final Storage storage;

    ReferenceAugment(Storage storage) {
        this.storage = storage;
    }

    @Override
    public void augment(byte[] raw, Tensor out, AugmentPlan plan) {
        Objects.requireNonNull(raw, "augment: raw is null");
        Objects.requireNonNull(plan, "augment: plan is null");
        double[] os = storage.data(out, "augment", "out");
        plan.check("augment", raw, out.shape());
        int[] s = out.shape();
        Augment.apply(raw, os, s[0], s[1], s[2], s[3], plan);
    }
}
