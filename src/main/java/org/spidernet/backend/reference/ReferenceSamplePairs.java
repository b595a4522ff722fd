package org.spidernet.backend.reference;

import static org.spidernet.backend.ShapeCheck.distinct;
import static org.spidernet.backend.ShapeCheck.pairs;

import org.spidernet.backend.SamplePairOps;
import org.spidernet.backend.Tensor;

/** The sample-pair ops (sign agreement, Gram matrix) of the {@link ReferenceBackend}, on {@link SamplePairs}. */
final class ReferenceSamplePairs implements SamplePairOps {
    private final Storage storage;

    ReferenceSamplePairs(Storage storage) {
        this.storage = storage;
    }

    @Override
    public void signAgreement(Tensor x, Tensor k) {
        String op = "signAgreement";
        double[] xs = storage.data(x, op, "x");
        double[] ks = storage.data(k, op, "k");
        int n = pairs(op, "x", x.shape(), "k", k.shape());
        distinct(op, "k", k, "x", x);
        SamplePairs.signAgreement(xs, n, ks);
    }

    @Override
    public double[] gram(Tensor a) {
        double[] as = storage.data(a, "gram", "a");
        return SamplePairs.gram(as, pairs("gram", "a", a.shape(), null, null));
    }
}
