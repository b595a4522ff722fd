package org.spidernet.backend.cuda;

import static org.spidernet.backend.ShapeCheck.distinct;
import static org.spidernet.backend.ShapeCheck.pairs;

import org.spidernet.backend.SamplePairOps;
import org.spidernet.backend.Tensor;

/**
 * Reductions over every pair of samples (the train-free metrics' N x N matrices), tiled 16
 * samples at a time on the device. The Gram matrix returns to the host, so it waits for the
 * device and is refused inside a captured step; the sign agreement stays in a tensor.
 */
final class SamplePairs implements SamplePairOps {
    private final DeviceStream stream;
    private final TensorStorage storage;

    SamplePairs(DeviceStream stream, TensorStorage storage) {
        this.stream = stream;
        this.storage = storage;
    }

    @Override
    public void signAgreement(Tensor x, Tensor k) {
        String op = "signAgreement";
        CudaTensor xs = storage.tensor(x, op, "x");
        CudaTensor ks = storage.tensor(k, op, "k");
        int n = pairs(op, "x", xs.shape(), "k", ks.shape());
        distinct(op, "k", k, "x", x);
        if (n == 0) {
            return;
        }
        long perSample = xs.size() / n;
        long workspaceBytes = CudaNative.signAgreementWorkspaceBytes(n, perSample);
        long workspace = workspaceBytes == 0 ? 0L : stream.workspace(op, workspaceBytes);
        stream.check(CudaNative.signAgreement(stream.handle(), xs.pointer(), n, perSample, ks.pointer(),
                workspace, workspaceBytes), "snc_sign_agreement");
    }

    @Override
    public double[] gram(Tensor a) {
        String op = "gram";
        CudaTensor as = storage.tensor(a, op, "a");
        int n = pairs(op, "a", as.shape(), null, null);
        if (n == 0) {
            return new double[0];
        }
        long perSample = as.size() / n;
        stream.notCapturing(op);
        long outBytes = (long) n * n * Double.BYTES;
        long workspaceBytes = CudaNative.gramWorkspaceBytes(n, perSample);
        long base = stream.workspace(op, workspaceBytes + outBytes);
        long out = base + workspaceBytes;  // workspace is whole doubles, so out stays 8-byte aligned
        stream.check(CudaNative.gram(stream.handle(), as.pointer(), n, perSample, base, workspaceBytes, out),
                "snc_gram");
        double[] result = new double[n * n];
        stream.check(CudaNative.copyToHost(stream.handle(), result, out, outBytes), "snc_copy_to_host (Gram matrix)");
        return result;
    }
}
