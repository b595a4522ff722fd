package org.spidernet.backend.cuda;

import static org.spidernet.backend.ShapeCheck.distinct;
import static org.spidernet.backend.ShapeCheck.fitsAt;
import static org.spidernet.backend.ShapeCheck.sameShape;
import static org.spidernet.backend.ShapeCheck.sameSize;
import static org.spidernet.backend.ShapeCheck.samplesOfPair;

import org.spidernet.backend.ElementwiseOps;
import org.spidernet.backend.Tensor;

/**
 * Fill, copies, axpy, ReLU and the float64 dot products on the device. The dot products are the
 * one place these ops wait for the device (their result is a host value), so they are refused
 * inside a captured step.
 */
final class Elementwise implements ElementwiseOps {
    private final DeviceStream stream;
    private final TensorStorage storage;

    Elementwise(DeviceStream stream, TensorStorage storage) {
        this.stream = stream;
        this.storage = storage;
    }

    @Override
    public void fill(Tensor t, double value) {
        CudaTensor d = storage.tensor(t, "fill", "t");
        stream.check(CudaNative.fill(stream.handle(), d.pointer(), (float) value, d.size()), "snc_fill");
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        CudaTensor s = storage.tensor(src, "copy", "src");
        CudaTensor d = storage.tensor(dst, "copy", "dst");
        sameSize("copy", "src", s.shape(), "dst", d.shape());
        stream.check(CudaNative.copy(stream.handle(), s.pointer(), d.pointer(), d.size()), "snc_copy");
    }

    @Override
    public void copyInto(Tensor src, Tensor dst, long offset) {
        CudaTensor s = storage.tensor(src, "copyInto", "src");
        CudaTensor d = storage.tensor(dst, "copyInto", "dst");
        distinct("copyInto", "dst", dst, "src", src);
        fitsAt("copyInto", s.shape(), offset, d.shape());
        if (s.size() == 0) {
            return;
        }
        // a device-to-device copy into dst's buffer at the element offset (snc_copy is a cudaMemcpyAsync)
        stream.check(CudaNative.copy(stream.handle(), s.pointer(), d.pointer() + offset * TensorStorage.BYTES_PER_ELEMENT,
                s.size()), "snc_copy");
    }

    @Override
    public void axpy(double alpha, Tensor x, Tensor y) {
        CudaTensor xs = storage.tensor(x, "axpy", "x");
        CudaTensor ys = storage.tensor(y, "axpy", "y");
        sameSize("axpy", "x", xs.shape(), "y", ys.shape());
        stream.check(CudaNative.axpy(stream.handle(), (float) alpha, xs.pointer(), ys.pointer(), ys.size()), "snc_axpy");
    }

    @Override
    public void relu(Tensor x, Tensor y) {
        CudaTensor xs = storage.tensor(x, "relu", "x");
        CudaTensor ys = storage.tensor(y, "relu", "y");
        sameShape("relu", "x", xs.shape(), "y", ys.shape());
        stream.check(CudaNative.reluForward(stream.handle(), xs.pointer(), ys.pointer(), ys.size()), "snc_relu_forward");
    }

    @Override
    public void reluBackward(Tensor x, Tensor dy, Tensor dx) {
        String op = "reluBackward";
        CudaTensor xs = storage.tensor(x, op, "x");
        CudaTensor dys = storage.tensor(dy, op, "dy");
        CudaTensor dxs = storage.tensor(dx, op, "dx");
        sameShape(op, "x", xs.shape(), "dy", dys.shape());
        sameShape(op, "x", xs.shape(), "dx", dxs.shape());
        stream.check(CudaNative.reluBackward(stream.handle(), xs.pointer(), dys.pointer(), dxs.pointer(), dxs.size()),
                "snc_relu_backward");
    }

    @Override
    public double dot(Tensor a, Tensor b) {
        CudaTensor as = storage.tensor(a, "dot", "a");
        CudaTensor bs = storage.tensor(b, "dot", "b");
        sameSize("dot", "a", as.shape(), "b", bs.shape());
        if (as.size() == 0) {
            return 0.0;
        }
        return perSampleDots(as, bs, 1, as.size())[0];
    }

    @Override
    public double[] dotPerSample(Tensor a, Tensor b) {
        CudaTensor as = storage.tensor(a, "dotPerSample", "a");
        CudaTensor bs = storage.tensor(b, "dotPerSample", "b");
        samplesOfPair("dotPerSample", "a", as.shape(), "b", bs.shape());
        int samples = KernelLimits.samples("dotPerSample", "a", as.shape());
        if (samples == 0) {
            return new double[0];
        }
        return perSampleDots(as, bs, samples, as.size() / samples);
    }

    /** float64 dot products of each sample's slice; the one place these two ops wait for the device. */
    private double[] perSampleDots(CudaTensor a, CudaTensor b, int samples, long perSample) {
        long workspaceBytes = CudaNative.dotPerSampleWorkspaceBytes(samples, perSample);
        long outBytes = (long) samples * Double.BYTES;
        stream.notCapturing("dotPerSample");
        long base = stream.workspace("dotPerSample", workspaceBytes + outBytes);
        long out = base + workspaceBytes;  // workspace is whole doubles, so out stays 8-byte aligned
        stream.check(CudaNative.dotPerSample(stream.handle(), a.pointer(), b.pointer(), samples, perSample, base,
                workspaceBytes, out), "snc_dot_per_sample");
        double[] result = new double[samples];
        stream.check(CudaNative.copyToHost(stream.handle(), result, out, outBytes), "snc_copy_to_host (dot products)");
        return result;
    }
}
