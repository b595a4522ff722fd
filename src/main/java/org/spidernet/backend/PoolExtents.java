package org.spidernet.backend;

import org.spidernet.graph.ir.PoolGeometry;
import static org.spidernet.backend.ShapeCheck.distinct;
import static org.spidernet.backend.ShapeCheck.rank;
import static org.spidernet.backend.ShapeCheck.require;
import static org.spidernet.backend.ShapeCheck.str;

import java.util.Arrays;
import java.util.Objects;

/**
 * Extents of one windowed pooling or subsampling call over planes (N*C of them), after the
 * input-shaped tensor [N,C,H,W] and the output-shaped tensor [N,C,H',W'] were checked against
 * each other and the window: the one home of these shape rules for every backend. Subsampling by
 * a stride is the 1 x 1 window at that stride (H' = ceil(H / stride)), started at an offset that
 * the extents do not depend on.
 */
public record PoolExtents(int batch, int channels, int inH, int inW, int outH, int outW, PoolGeometry g) {

    public static PoolExtents of(String op, String inName, int[] in, String outName, int[] out, PoolGeometry g) {
        Objects.requireNonNull(g, "geometry");
        rank(op, inName, in, 4);
        require(in[2] + 2L * g.padding() >= g.kernel() && in[3] + 2L * g.padding() >= g.kernel(),
                op + ": " + inName + " " + str(in) + " is smaller than the window of " + g);
        int[] want = {in[0], in[1], g.outSize(in[2]), g.outSize(in[3])};
        require(Arrays.equals(out, want), op + ": " + outName + " has shape " + str(out) + ", expected " + str(want)
                + " for " + inName + " " + str(in) + " and " + g);
        return checkedPlanes(op, inName, in, new PoolExtents(in[0], in[1], in[2], in[3], want[2], want[3], g));
    }

    /**
     * Subsampling: keep every stride-th row and column, from row and column {@code offset}
     * (0 &lt;= offset &lt; stride). The output's extent is ceil(H / stride) whatever the offset, so
     * the two paths of a factorized reduction (offsets 0 and 1) have one shape; an output position
     * whose input lies past the edge reads 0.
     */
    public static PoolExtents subsample(String op, String inName, int[] in, String outName, int[] out, int stride,
                                        int offset) {
        require(stride >= 1, op + ": stride must be at least 1, got " + stride);
        require(offset >= 0 && offset < stride, op + ": offset must be in [0, stride) = [0, " + stride + "), got "
                + offset);
        rank(op, inName, in, 4);
        PoolGeometry g = new PoolGeometry(1, stride, 0);
        int[] want = {in[0], in[1], g.outSize(in[2]), g.outSize(in[3])};
        require(Arrays.equals(out, want), op + ": " + outName + " has shape " + str(out) + ", expected " + str(want)
                + " for " + inName + " " + str(in) + " and stride " + stride);
        return checkedPlanes(op, inName, in, new PoolExtents(in[0], in[1], in[2], in[3], want[2], want[3], g));
    }

    /** Global average pooling: {@code in} [N,C,H,W] with a non-empty plane, {@code out} [N,C]; H' = W' = 1. */
    public static PoolExtents global(String op, String inName, int[] in, String outName, int[] out) {
        rank(op, inName, in, 4);
        require((long) in[2] * in[3] >= 1, op + ": " + inName + " " + str(in) + " has an empty plane");
        ShapeCheck.shape(op, outName, out, in[0], in[1]);
        require((long) in[2] * in[3] <= Integer.MAX_VALUE, op + ": " + inName + " " + str(in)
                + " has 2^31 or more elements per plane");
        return checkedPlanes(op, inName, in, new PoolExtents(in[0], in[1], in[2], in[3], 1, 1,
                new PoolGeometry(1, 1, 0)));
    }

    /** A pooling forward's rules (maxPool, avgPool): y is written while x is read. */
    public static PoolExtents forward(String op, Tensor x, Tensor y, PoolGeometry g) {
        PoolExtents e = of(op, "x", x.shape(), "y", y.shape(), g);
        distinct(op, "y", y, "x", x);
        return e;
    }

    /** maxPoolBackward's rules: x and dx input-shaped, dy output-shaped; dx is written while x and dy are read. */
    public static PoolExtents maxBackward(String op, Tensor x, Tensor dy, Tensor dx, PoolGeometry g) {
        PoolExtents e = of(op, "x", x.shape(), "dy", dy.shape(), g);
        ShapeCheck.sameShape(op, "x", x.shape(), "dx", dx.shape());
        distinct(op, "dx", dx, "x", x);
        distinct(op, "dx", dx, "dy", dy);
        return e;
    }

    /** avgPoolBackward's rules: dx input-shaped, dy output-shaped; dx is written while dy is read. */
    public static PoolExtents backward(String op, Tensor dy, Tensor dx, PoolGeometry g) {
        PoolExtents e = of(op, "dx", dx.shape(), "dy", dy.shape(), g);
        distinct(op, "dx", dx, "dy", dy);
        return e;
    }

    /** subsample's rules: y is written while x is read. */
    public static PoolExtents subsampleForward(String op, Tensor x, Tensor y, int stride, int offset) {
        PoolExtents e = subsample(op, "x", x.shape(), "y", y.shape(), stride, offset);
        distinct(op, "y", y, "x", x);
        return e;
    }

    /** subsampleBackward's rules: dx is written while dy is read. */
    public static PoolExtents subsampleBackward(String op, Tensor dy, Tensor dx, int stride, int offset) {
        PoolExtents e = subsample(op, "dx", dx.shape(), "dy", dy.shape(), stride, offset);
        distinct(op, "dx", dx, "dy", dy);
        return e;
    }

    private static PoolExtents checkedPlanes(String op, String inName, int[] in, PoolExtents e) {
        require((long) in[0] * in[1] <= Integer.MAX_VALUE, op + ": " + inName + " " + str(in)
                + " has more than 2^31 planes");
        return e;
    }

    /** Planes N*C (fits an int: checked). */
    public int planes() {
        return batch * channels;
    }

    public int inPlane() {
        return inH * inW;
    }

    /** True when there is nothing to compute (no planes or an empty plane). */
    public boolean empty() {
        return planes() == 0 || inH == 0 || inW == 0;
    }
}
