package org.spidernet.backend.cpu;

import static org.spidernet.backend.ShapeCheck.distinct;
import static org.spidernet.backend.ShapeCheck.pairs;
import static org.spidernet.backend.ShapeCheck.require;
import static org.spidernet.backend.ShapeCheck.str;

import org.spidernet.backend.SamplePairOps;
import org.spidernet.backend.Tensor;

/** The sample-pair ops (sign agreement, Gram matrix) of the {@link CpuBackend}, on {@link SamplePairKernels}. */
final class SamplePairs implements SamplePairOps {
    private final Storage storage;
    private final WorkerPool pool;

    SamplePairs(Storage storage, WorkerPool pool) {
        this.storage = storage;
        this.pool = pool;
    }

    @Override
    public void signAgreement(Tensor x, Tensor k) {
        String op = "signAgreement";
        CpuTensor xs = storage.tensor(x, op, "x");
        CpuTensor ks = storage.tensor(k, op, "k");
        int n = pairs(op, "x", x.shape(), "k", k.shape());
        distinct(op, "k", k, "x", x);
        int d = n == 0 ? 0 : xs.intSize() / n;
        // the kernel packs each sample's signs into longs, N rows of them in one Java array
        require((long) n * ((d + 63) / 64) <= Integer.MAX_VALUE, op + ": x " + str(x.shape())
                + " has too many sign bits to pack in one array");
        SamplePairKernels.signAgreement(pool, xs.buffer(), n, d, ks.buffer());
    }

    @Override
    public double[] gram(Tensor a) {
        CpuTensor as = storage.tensor(a, "gram", "a");
        int n = pairs("gram", "a", a.shape(), null, null);
        return SamplePairKernels.gram(pool, as.buffer(), n, n == 0 ? 0 : as.intSize() / n);
    }
}
