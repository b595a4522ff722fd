package org.spidernet.search.darts;

import org.spidernet.graph.ir.ArchitectureBuilder;
import org.spidernet.graph.ir.ConvGeometry;
import org.spidernet.graph.ir.NodeOp;
import org.spidernet.graph.ir.PoolGeometry;

/**
 * DARTS's ops as chains of IR nodes, the one place they are spelled: the DARTS supernet and
 * derived networks ({@link DartsLowering}) and AutoSpace's cells, which draw their edges' ops
 * from the same set, build them here. Each method adds nodes named from {@code name} to
 * {@code b} and returns the last one.
 */
public final class DartsOpLowering {
    private DartsOpLowering() {
    }

    /**
     * {@code op} on node {@code x} at {@code stride}, keeping x's channels; {@code supernet} adds
     * the BN after a pooling that DARTS's search cells have and its derived cells do not.
     */
    public static int op(ArchitectureBuilder b, String name, DartsOp op, int x, int stride, boolean supernet) {
        int ch = b.shape(x).channels();
        switch (op) {
            case MAX_POOL_3X3:
            case AVG_POOL_3X3: {
                int p = b.add(name, new NodeOp.Pool(op == DartsOp.MAX_POOL_3X3, new PoolGeometry(3, stride, 1)), -1, x);
                return supernet ? b.add(name + ".bn", new NodeOp.BatchNorm(), -1, p) : p;
            }
            case SKIP_CONNECT:
                return stride == 1 ? b.add(name, new NodeOp.Identity(), -1, x) : factorizedReduce(b, name, x, ch);
            case SEP_CONV_3X3:
            case SEP_CONV_5X5: {
                int k = op == DartsOp.SEP_CONV_3X3 ? 3 : 5;
                int a = b.add(name + ".relu1", new NodeOp.Relu(), -1, x);
                a = b.add(name + ".dw1", new NodeOp.Conv(ch, new ConvGeometry(k, stride, k / 2, 1, ch)), -1, a);
                a = b.add(name + ".pw1", new NodeOp.Conv(ch, ConvGeometry.dense(1, 1, 0)), -1, a);
                a = b.add(name + ".bn1", new NodeOp.BatchNorm(), -1, a);
                a = b.add(name + ".relu2", new NodeOp.Relu(), -1, a);
                a = b.add(name + ".dw2", new NodeOp.Conv(ch, new ConvGeometry(k, 1, k / 2, 1, ch)), -1, a);
                a = b.add(name + ".pw2", new NodeOp.Conv(ch, ConvGeometry.dense(1, 1, 0)), -1, a);
                return b.add(name + ".bn2", new NodeOp.BatchNorm(), -1, a);
            }
            case DIL_CONV_3X3:
            case DIL_CONV_5X5: {
                int k = op == DartsOp.DIL_CONV_3X3 ? 3 : 5;
                int a = b.add(name + ".relu", new NodeOp.Relu(), -1, x);
                a = b.add(name + ".dw", new NodeOp.Conv(ch, new ConvGeometry(k, stride, k - 1, 2, ch)), -1, a);
                a = b.add(name + ".pw", new NodeOp.Conv(ch, ConvGeometry.dense(1, 1, 0)), -1, a);
                return b.add(name + ".bn", new NodeOp.BatchNorm(), -1, a);
            }
            default:
                throw new IllegalArgumentException("DARTS op " + op + " has no computation");
        }
    }

    /** ReLU, 1x1 conv to {@code channels}, BN: how a cell brings its inputs to its width. */
    public static int reluConvBn(ArchitectureBuilder b, String name, int x, int channels) {
        int a = b.add(name + ".relu", new NodeOp.Relu(), -1, x);
        a = b.add(name + ".conv", new NodeOp.Conv(channels, ConvGeometry.dense(1, 1, 0)), -1, a);
        return b.add(name + ".bn", new NodeOp.BatchNorm(), -1, a);
    }

    /**
     * Halves the resolution without discarding three pixels in four: ReLU, then two 1x1 convs at
     * stride 2 to half the channels each, one on the pixels at even and one on those at odd
     * positions, concatenated, then BN.
     */
    public static int factorizedReduce(ArchitectureBuilder b, String name, int x, int channels) {
        int r = b.add(name + ".relu", new NodeOp.Relu(), -1, x);
        int even = b.add(name + ".conv1", new NodeOp.Conv(channels / 2, ConvGeometry.dense(1, 2, 0)), -1, r);
        int shifted = b.add(name + ".shift", new NodeOp.Subsample(2, 1), -1, r);
        int odd = b.add(name + ".conv2", new NodeOp.Conv(channels / 2, ConvGeometry.dense(1, 1, 0)), -1, shifted);
        return b.add(name + ".bn", new NodeOp.BatchNorm(), -1, b.add(name + ".concat", new NodeOp.Concat(), -1, even, odd));
    }
}
