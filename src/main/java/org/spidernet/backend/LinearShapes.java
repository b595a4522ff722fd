package org.spidernet.backend;

import static org.spidernet.backend.ShapeCheck.rank;
import static org.spidernet.backend.ShapeCheck.require;
import static org.spidernet.backend.ShapeCheck.str;

import java.util.Arrays;

/**
 * Extents of one dense layer y = x w^T + b, after x [N,K], w [M,K], a bias-shaped [M] tensor and an
 * output-shaped [N,M] tensor were checked against each other: the one home of these rules.
 */
public record LinearShapes(int batch, int inFeatures, int outFeatures) {

    public static LinearShapes of(String op, int[] x, int[] w, int[] b, String outName, int[] out) {
        rank(op, "x", x, 2);
        rank(op, "w", w, 2);
        int batch = x[0];
        int in = x[1];
        int outFeatures = w[0];
        String all = "x " + str(x) + ", w " + str(w) + ", b " + str(b) + ", " + outName + " " + str(out);
        require(w[1] == in, op + ": w " + str(w) + " does not match x " + str(x) + " (" + all + ")");
        require(Arrays.equals(b, new int[] {outFeatures}), op + ": bias has shape " + str(b) + ", expected ["
                + outFeatures + "] (" + all + ")");
        require(Arrays.equals(out, new int[] {batch, outFeatures}), op + ": " + outName + " has shape " + str(out)
                + ", expected [" + batch + ", " + outFeatures + "] (" + all + ")");
        return new LinearShapes(batch, in, outFeatures);
    }

    /** The forward pass's aliasing rule: y is none of x, w, b. */
    public static void forwardAliasing(String op, Tensor x, Tensor w, Tensor b, Tensor y) {
        ShapeCheck.distinct(op, "y", y, "x", x);
        ShapeCheck.distinct(op, "y", y, "w", w);
        ShapeCheck.distinct(op, "y", y, "b", b);
    }

    /** The backward pass's aliasing rule: no gradient (dx when not null, dw, db) is x, w or dy. */
    public static void backwardAliasing(String op, Tensor x, Tensor w, Tensor dy, Tensor dx, Tensor dw, Tensor db) {
        if (dx != null) {
            for (Tensor in : new Tensor[] {x, w, dy}) {
                ShapeCheck.distinct(op, "dx", dx, "an input", in);
            }
        }
        for (Tensor in : new Tensor[] {x, w, dy}) {
            ShapeCheck.distinct(op, "dw", dw, "an input", in);
            ShapeCheck.distinct(op, "db", db, "an input", in);
        }
    }

    /**
     * The backward pass: {@link #of} over x, w, the bias gradient {@code db} and {@code dy}, and the
     * gradients shaped like what they differentiate: dw like w, dx (null when not wanted) like x.
     */
    public static LinearShapes backward(String op, int[] x, int[] w, int[] db, int[] dy, int[] dw, int[] dx) {
        LinearShapes d = of(op, x, w, db, "dy", dy);
        ShapeCheck.shape(op, "dw", dw, w);
        if (dx != null) {
            ShapeCheck.shape(op, "dx", dx, x);
        }
        return d;
    }
}
