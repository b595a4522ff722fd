package org.spidernet.backend;

import org.spidernet.graph.ir.ConvGeometry;
import static org.spidernet.backend.ShapeCheck.distinct;
import static org.spidernet.backend.ShapeCheck.rank;
import static org.spidernet.backend.ShapeCheck.require;
import static org.spidernet.backend.ShapeCheck.str;

import java.util.Arrays;
import java.util.Objects;

/**
 * Every extent of one convolution call, after the input-shaped tensor [N,Cin,H,W], the weights
 * [Cout,Cin/groups,k,k] and the output-shaped tensor [N,Cout,H',W'] were checked against each
 * other and the geometry: the one home of the convolution's shape rules, for every backend and
 * every pass (forward, backward data, backward filter).
 */
public record ConvExtents(int batch, int inChannels, int inH, int inW, int outChannels, int outH, int outW,
                          ConvGeometry g) {

    public static ConvExtents of(String op, String inName, int[] in, int[] w, String outName, int[] out,
                                 ConvGeometry g) {
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
        // checked here rather than through outSize(), so an input smaller than the kernel is named as such
        long extent = (long) g.dilation() * (g.kernel() - 1) + 1;
        require(in[2] + 2L * g.padding() >= extent && in[3] + 2L * g.padding() >= extent,
                op + ": input smaller than the dilated kernel: " + all);
        int[] wantOut = {in[0], cout, g.outSize(in[2]), g.outSize(in[3])};
        require(Arrays.equals(out, wantOut), op + ": " + outName + " has shape " + str(out) + ", expected "
                + str(wantOut) + " (" + all + ")");
        return new ConvExtents(in[0], cin, in[2], in[3], cout, wantOut[2], wantOut[3], g);
    }

    /** conv2d's rules: x [N,Cin,H,W], w, y [N,Cout,H',W']; y is written while x and w are read. */
    public static ConvExtents forward(String op, Tensor x, Tensor w, Tensor y, ConvGeometry g) {
        ConvExtents e = of(op, "x", x.shape(), w.shape(), "y", y.shape(), g);
        distinct(op, "y", y, "x", x);
        distinct(op, "y", y, "w", w);
        return e;
    }

    /** conv2dBackwardData's rules: dx shaped like the input, dy like the output; dx is written while dy and w are read. */
    public static ConvExtents backwardData(String op, Tensor dy, Tensor w, Tensor dx, ConvGeometry g) {
        ConvExtents e = of(op, "dx", dx.shape(), w.shape(), "dy", dy.shape(), g);
        distinct(op, "dx", dx, "dy", dy);
        distinct(op, "dx", dx, "w", w);
        return e;
    }

    /** conv2dBackwardFilter's rules: dw shaped like the weights; dw is written while x and dy are read. */
    public static ConvExtents backwardFilter(String op, Tensor x, Tensor dy, Tensor dw, ConvGeometry g) {
        ConvExtents e = of(op, "x", x.shape(), dw.shape(), "dy", dy.shape(), g);
        distinct(op, "dw", dw, "x", x);
        distinct(op, "dw", dw, "dy", dy);
        return e;
    }

    public int kernel() {
        return g.kernel();
    }

    /** Kernel taps k x k. */
    public int taps() {
        return g.kernel() * g.kernel();
    }

    public int groupInChannels() {
        return inChannels / g.groups();
    }

    public int groupOutChannels() {
        return outChannels / g.groups();
    }

    /** Whether this is a depthwise convolution (groups == Cin == Cout). */
    public boolean depthwise() {
        return g.groups() == inChannels && outChannels == inChannels;
    }

    /**
     * True when some extent is zero: every product vanishes, so the forward output is all zeros and
     * the gradients get nothing.
     */
    public boolean degenerate() {
        return batch == 0 || inChannels == 0 || inH == 0 || inW == 0 || outChannels == 0 || outH <= 0 || outW <= 0;
    }

    /** Multiply-adds of one pass (forward, or either backward). */
    public long multiplyAdds() {
        return (long) batch * outChannels * outH * outW * groupInChannels() * taps();
    }
}
