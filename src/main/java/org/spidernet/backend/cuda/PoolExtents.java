package org.spidernet.backend.cuda;

import static org.spidernet.backend.cuda.Checks.rank;
import static org.spidernet.backend.cuda.Checks.require;
import static org.spidernet.backend.cuda.Checks.str;

import java.util.Arrays;
import java.util.Objects;
import org.spidernet.backend.PoolGeometry;

/**
 * Extents of one pooling call, checked against the tensors, in the order of the C API's int32
 * extents array ({@code SNC_POOL_DIMS}): planes (N*C), in_h, in_w, out_h, out_w, kernel, stride, padding.
 */
record PoolExtents(int planes, int inH, int inW, int outH, int outW, PoolGeometry g) {

    static PoolExtents of(String op, String inName, int[] in, String outName, int[] out, PoolGeometry g) {
        Objects.requireNonNull(g, "geometry");
        rank(op, inName, in, 4);
        require(in[2] + 2L * g.padding() >= g.kernel() && in[3] + 2L * g.padding() >= g.kernel(),
                op + ": " + inName + " " + str(in) + " is smaller than the window of " + g);
        int[] want = {in[0], in[1], g.outSize(in[2]), g.outSize(in[3])};
        require(Arrays.equals(out, want), op + ": " + outName + " has shape " + str(out) + ", expected " + str(want)
                + " for " + inName + " " + str(in) + " and " + g);
        long planes = (long) in[0] * in[1];
        require(planes <= Integer.MAX_VALUE, op + ": " + inName + " " + str(in) + " has more than 2^31 planes");
        return new PoolExtents((int) planes, in[2], in[3], want[2], want[3], g);
    }

    /** True when there is nothing to compute (no planes or an empty plane); the kernels need at least one element. */
    boolean empty() {
        return planes == 0 || inH == 0 || inW == 0;
    }

    int[] toArray() {
        return new int[] {planes, inH, inW, outH, outW, g.kernel(), g.stride(), g.padding()};
    }
}
