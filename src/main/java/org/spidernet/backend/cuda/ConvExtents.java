package org.spidernet.backend.cuda;

import static org.spidernet.backend.cuda.Checks.rank;
import static org.spidernet.backend.cuda.Checks.require;
import static org.spidernet.backend.cuda.Checks.str;

import java.util.Arrays;
import java.util.Objects;
import org.spidernet.backend.ConvGeometry;

/**
 * Every extent of one convolution call, checked against the tensors and the geometry, in the
 * order the C API's int32 extents array takes them ({@code SNC_CONV_DIMS} in spidernet_cuda.h).
 * The native side checks the same rules again, so a mistake that slipped past Java is still an
 * argument error and never an out-of-bounds access.
 */
record ConvExtents(int batch, int inChannels, int inH, int inW, int outChannels, int outH, int outW, ConvGeometry g) {

    /**
     * Checks an input-shaped tensor {@code in} [N,Cin,H,W], weights {@code w} [Cout,Cin/groups,k,k]
     * and an output-shaped tensor {@code out} [N,Cout,H',W'] against each other and the geometry.
     */
    static ConvExtents of(String op, String inName, int[] in, int[] w, String outName, int[] out, ConvGeometry g) {
        Objects.requireNonNull(g, "geometry");
        rank(op, inName, in, 4);
        rank(op, "w", w, 4);
        rank(op, outName, out, 4);
        int cin = in[1];
        int cout = w[0];
        String all = inName + " " + str(in) + ", w " + str(w) + ", " + outName + " " + str(out) + ", " + g;
        require(cin % g.groups() == 0 && cout % g.groups() == 0, op + ": channels not divisible by groups: " + all);
        int[] wantW = {cout, cin / g.groups(), g.kernel(), g.kernel()};
        require(Arrays.equals(w, wantW), op + ": w has shape " + str(w) + ", expected " + str(wantW) + " (" + all + ")");
        long extent = (long) g.dilation() * (g.kernel() - 1) + 1;
        require(in[2] + 2L * g.padding() >= extent && in[3] + 2L * g.padding() >= extent,
                op + ": input smaller than the dilated kernel: " + all);
        int[] wantOut = {in[0], cout, g.outSize(in[2]), g.outSize(in[3])};
        require(Arrays.equals(out, wantOut), op + ": " + outName + " has shape " + str(out) + ", expected "
                + str(wantOut) + " (" + all + ")");
        require(g.kernel() <= 64, op + ": kernel " + g.kernel() + " is larger than the kernels' limit of 64");
        require((long) cout * wantW[1] * g.kernel() * g.kernel() < (1L << 31), op + ": " + str(w)
                + " has 2^31 or more weights, beyond the filter-gradient kernels' grid");
        return new ConvExtents(in[0], cin, in[2], in[3], cout, wantOut[2], wantOut[3], g);
    }

    /**
     * True when some extent is zero: every product of the convolution vanishes, so the forward
     * output is all zeros and the gradients get nothing; the kernels (which need every extent
     * positive) are not called.
     */
    boolean degenerate() {
        return batch == 0 || inChannels == 0 || inH == 0 || inW == 0 || outChannels == 0 || outH <= 0 || outW <= 0;
    }

    /** Whether the depthwise kernels serve this call (groups == Cin == Cout). */
    boolean depthwise() {
        return g.groups() == inChannels && outChannels == inChannels;
    }

    /** The C API's extents array: batch, in_c, in_h, in_w, out_c, out_h, out_w, kernel, stride, padding, dilation, groups. */
    int[] toArray() {
        int[] dims = {batch, inChannels, inH, inW, outChannels, outH, outW, g.kernel(), g.stride(), g.padding(),
                g.dilation(), g.groups()};
        assert dims.length == CudaNative.CONV_DIMS;
        return dims;
    }
}
