package org.spidernet.backend.cuda;

import static org.spidernet.backend.ShapeCheck.require;
import static org.spidernet.backend.ShapeCheck.str;

import org.spidernet.backend.ConvExtents;
import org.spidernet.graph.ir.ConvGeometry;
import org.spidernet.backend.PoolExtents;
import org.spidernet.backend.ShapeCheck;

/**
 * What the CUDA kernels and their C API allow beyond the shape rules every backend shares
 * ({@link ShapeCheck}, {@link ConvExtents}, {@link PoolExtents}): the grid and kernel-size limits,
 * float32 scalar arguments, and the int32 extents arrays the convolution and pooling calls take.
 * Checked on the host before any native call, so they are argument errors naming the op, and
 * unit-tested without a device. The native side checks the extents again, so a mistake that
 * slipped past Java is still an argument error, never an out-of-bounds access.
 */
final class KernelLimits {
    /** gridDim.y limit: the per-sample kernels put samples on the grid's y axis. */
    static final int MAX_SAMPLES = 65535;
    /** Largest convolution kernel the convolution kernels unroll for. */
    static final int MAX_KERNEL = 64;

    private KernelLimits() {
    }

    /** Samples N of a per-sample op's tensor [N, ...] ({@link ShapeCheck#samples}), within the grid limit. */
    static int samples(String op, String name, int[] shape) {
        int n = ShapeCheck.samples(op, name, shape);
        require(n <= MAX_SAMPLES, op + ": " + name + " " + str(shape) + " has more than " + MAX_SAMPLES
                + " samples, the per-sample kernels' grid limit");
        return n;
    }

    /**
     * The C API's convolution extents array ({@code SNC_CONV_DIMS}): batch, in_c, in_h, in_w,
     * out_c, out_h, out_w, kernel, stride, padding, dilation, groups; after the kernels' own limits.
     */
    static int[] convDims(String op, ConvExtents e) {
        int[] w = {e.outChannels(), e.groupInChannels(), e.kernel(), e.kernel()};
        require(e.kernel() <= MAX_KERNEL, op + ": kernel " + e.kernel() + " is larger than the kernels' limit of "
                + MAX_KERNEL);
        require((long) w[0] * w[1] * w[2] * w[3] < (1L << 31), op + ": " + str(w)
                + " has 2^31 or more weights, beyond the filter-gradient kernels' grid");
        ConvGeometry g = e.g();
        int[] dims = {e.batch(), e.inChannels(), e.inH(), e.inW(), e.outChannels(), e.outH(), e.outW(), g.kernel(),
                g.stride(), g.padding(), g.dilation(), g.groups()};
        assert dims.length == CudaNative.CONV_DIMS;
        return dims;
    }

    /** The C API's pooling extents array ({@code SNC_POOL_DIMS}): planes, in_h, in_w, out_h, out_w, kernel, stride, padding. */
    static int[] poolDims(PoolExtents e) {
        int[] dims = {e.planes(), e.inH(), e.inW(), e.outH(), e.outW(), e.g().kernel(), e.g().stride(),
                e.g().padding()};
        assert dims.length == CudaNative.POOL_DIMS;
        return dims;
    }

    /** A float32 scalar argument: finite doubles that overflow float32 would silently become infinite. */
    static float toFloat(String op, String name, double value) {
        float f = (float) value;
        require(!Float.isInfinite(f) || Double.isInfinite(value), op + ": " + name + " " + value
                + " is outside the float32 range");
        return f;
    }
}
