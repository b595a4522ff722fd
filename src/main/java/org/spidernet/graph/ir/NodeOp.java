package org.spidernet.graph.ir;

import java.util.List;

/**
 * What a node of the architecture IR computes, and the one rule per op that gives its output
 * shape from its inputs' (a wrong arity or an inconsistent input is an
 * {@link IllegalArgumentException} naming the op). Composite cell ops (separable, dilated and
 * ReLU-conv-BN convolutions) are spelled out as chains of these by the space that builds them,
 * so every parameter and buffer has one node to be named after.
 */
public sealed interface NodeOp {

    /** Output shape for the given input shapes. */
    Shape infer(List<Shape> in);

    /** The op's name in diagrams and errors. */
    String kind();

    /** The network's image input; an architecture has exactly one, node 0. */
    record Input(int channels, int height, int width) implements NodeOp {
        public Shape infer(List<Shape> in) {
            arity(this, in, 0);
            return Shape.map(channels, height, width);
        }

        public String kind() {
            return "input";
        }
    }

    /** k x k convolution with stride, padding, dilation and groups; no bias (a BatchNorm follows). */
    record Conv(int outChannels, ConvGeometry geometry) implements NodeOp {
        public Shape infer(List<Shape> in) {
            Shape x = map(this, in);
            int g = geometry.groups();
            if (x.channels() % g != 0 || outChannels % g != 0) {
                throw new IllegalArgumentException(kind() + ": " + x.channels() + " input and " + outChannels
                        + " output channels must both be multiples of the " + g + " groups");
            }
            return Shape.map(outChannels, extent(this, geometry.outSize(x.height())), extent(this, geometry.outSize(x.width())));
        }

        public String kind() {
            return "conv" + geometry.kernel() + "x" + geometry.kernel();
        }
    }

    /** Batch normalisation with a learned scale and shift per channel (train-mode statistics). */
    record BatchNorm() implements NodeOp {
        public Shape infer(List<Shape> in) {
            return map(this, in);
        }

        public String kind() {
            return "batch_norm";
        }
    }

    record Relu() implements NodeOp {
        public Shape infer(List<Shape> in) {
            arity(this, in, 1);
            return in.get(0);
        }

        public String kind() {
            return "relu";
        }
    }

    /** Max or average pooling (average divides by kernel x kernel, padded zeros counted). */
    record Pool(boolean max, PoolGeometry geometry) implements NodeOp {
        public Shape infer(List<Shape> in) {
            Shape x = map(this, in);
            return Shape.map(x.channels(), extent(this, geometry.outSize(x.height())),
                    extent(this, geometry.outSize(x.width())));
        }

        public String kind() {
            return (max ? "max_pool_" : "avg_pool_") + geometry.kernel() + "x" + geometry.kernel();
        }
    }

    /**
     * Every stride-th pixel along both axes starting at {@code offset} (in [0, stride)); the output
     * extent is ceil(extent / stride) whatever the offset, positions past the input reading 0
     * (factorized reduce's second path reads x[:, :, 1::2, 1::2] of an odd-sized map this way).
     */
    record Subsample(int stride, int offset) implements NodeOp {
        public Subsample {
            if (stride < 1 || offset < 0 || offset >= stride) {
                throw new IllegalArgumentException("subsample: needs stride >= 1 and 0 <= offset < stride, got stride "
                        + stride + ", offset " + offset);
            }
        }

        public Subsample(int stride) {
            this(stride, 0);
        }

        public Shape infer(List<Shape> in) {
            Shape x = map(this, in);
            return Shape.map(x.channels(), (x.height() + stride - 1) / stride, (x.width() + stride - 1) / stride);
        }

        public String kind() {
            return "subsample";
        }
    }

    /** The input itself: no computation, no buffer of its own. */
    record Identity() implements NodeOp {
        public Shape infer(List<Shape> in) {
            arity(this, in, 1);
            return in.get(0);
        }

        public String kind() {
            return "identity";
        }
    }

    /**
     * SpiderNet's merge: {@code sum_i [w_i > 0] * x_i} with one hard gate per input (indices into
     * the architecture's gates). The shape is declared because every op of a node may have been
     * pruned, leaving a sum of nothing (zeros) until dead-end removal deletes the node.
     */
    record GatedSum(List<Integer> gates, Shape shape) implements NodeOp {
        public GatedSum {
            gates = List.copyOf(gates);
        }

        public Shape infer(List<Shape> in) {
            arity(this, in, gates.size());
            for (Shape s : in) {
                if (!s.equals(shape)) {
                    throw new IllegalArgumentException(kind() + ": input " + s + " does not match the sum's " + shape);
                }
            }
            return shape;
        }

        public String kind() {
            return "gated_sum";
        }
    }

    /** Plain sum of inputs of one shape (a derived cell's node adds its two chosen ops). */
    record Sum() implements NodeOp {
        public Shape infer(List<Shape> in) {
            if (in.isEmpty()) {
                throw new IllegalArgumentException(kind() + ": takes at least one input");
            }
            for (Shape s : in) {
                if (!s.equals(in.get(0))) {
                    throw new IllegalArgumentException(kind() + ": input " + s + " does not match " + in.get(0));
                }
            }
            return in.get(0);
        }

        public String kind() {
            return "sum";
        }
    }

    /**
     * A sum of ops weighted by architecture weights: input j is the op of choice
     * {@code choices[j]} on the edge whose weights are row {@code rows[j]} of alpha group
     * {@code group}, so one node sums all its incoming mixed edges (DARTS: each edge's
     * {@code sum_i softmax(alpha_e)_i * op_i(x)}) without a buffer per edge. How a row mixes is
     * its group's {@link AlphaGroup.Mixing}; the shape is declared because every input may be a
     * zero op that has no node.
     */
    record WeightedSum(int group, List<Integer> rows, List<Integer> choices, Shape shape) implements NodeOp {
        public WeightedSum {
            rows = List.copyOf(rows);
            choices = List.copyOf(choices);
            if (rows.size() != choices.size()) {
                throw new IllegalArgumentException("weighted_sum: " + rows.size() + " rows for " + choices.size() + " choices");
            }
        }

        public Shape infer(List<Shape> in) {
            arity(this, in, rows.size());
            for (Shape s : in) {
                if (!s.equals(shape)) {
                    throw new IllegalArgumentException(kind() + ": input " + s + " does not match the sum's " + shape);
                }
            }
            return shape;
        }

        public String kind() {
            return "weighted_sum";
        }
    }

    /** Feature maps of one extent stacked along channels, in input order (a DARTS cell's output). */
    record Concat() implements NodeOp {
        public Shape infer(List<Shape> in) {
            if (in.isEmpty()) {
                throw new IllegalArgumentException(kind() + ": takes at least one input");
            }
            int channels = 0;
            for (Shape s : in) {
                if (!s.isMap() || s.height() != in.get(0).height() || s.width() != in.get(0).width()) {
                    throw new IllegalArgumentException(kind() + ": input " + s + " does not match the extent of " + in.get(0));
                }
                channels += s.channels();
            }
            return in.get(0).withChannels(channels);
        }

        public String kind() {
            return "concat";
        }
    }

    /** Global average pooling followed by a linear layer with bias: a feature map to class logits. */
    record Classifier(int classes) implements NodeOp {
        public Classifier {
            if (classes < 2) {
                throw new IllegalArgumentException("classifier: classes must be >= 2, got " + classes);
            }
        }

        public Shape infer(List<Shape> in) {
            map(this, in);
            return Shape.vector(classes);
        }

        public String kind() {
            return "classifier";
        }
    }

    private static void arity(NodeOp op, List<Shape> in, int n) {
        if (in.size() != n) {
            throw new IllegalArgumentException(op.kind() + ": takes " + n + " input(s), got " + in.size());
        }
    }

    private static Shape map(NodeOp op, List<Shape> in) {
        arity(op, in, 1);
        if (!in.get(0).isMap()) {
            throw new IllegalArgumentException(op.kind() + ": input " + in.get(0) + " is not a feature map");
        }
        return in.get(0);
    }

    private static int extent(NodeOp op, int e) {
        if (e < 1) {
            throw new IllegalArgumentException(op.kind() + ": window larger than its padded input");
        }
        return e;
    }
}
