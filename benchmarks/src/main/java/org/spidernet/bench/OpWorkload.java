package org.spidernet.bench;

import org.spidernet.backend.AugmentPlan;
import org.spidernet.backend.Backend;
import org.spidernet.graph.ir.ConvGeometry;
import org.spidernet.graph.ir.PoolGeometry;
import org.spidernet.backend.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One backend op on activations of shape [N, C, H, W] (E = N*C*H*W elements of b bytes), with the
 * traffic and arithmetic it cannot avoid, for {@link OpFamilyBenchmark}. Bytes count each tensor
 * the op must read once and each it writes once (an accumulated output is read and written), so
 * bytes/s is a lower bound on the traffic a kernel achieved and can be held against the copy
 * bandwidth measured by {@code copy}; FLOPs count multiply-adds as 2 and a comparison as 1.
 *
 * <pre>
 * op                    CUDA family            bytes                 FLOPs
 * copy                  elementwise            2 E b                 0
 * axpy                  elementwise            3 E b                 2 E
 * relu                  relu                   2 E b                 E
 * relu_backward         relu                   4 E b                 E
 * scale_add             gated_accumulate       3 E b                 2 E
 * dot_per_sample        gated_accumulate       2 E b                 2 E
 * sgd_momentum          sgd_momentum           5 E b                 6 E
 * sgd_momentum_all      sgd_momentum           5 E b                 6 E   (E split into 200 tensors, one call)
 * bn_train              batch_norm             2 E b                 7 E   (stats, then normalise)
 * bn_backward           batch_norm             4 E b                 9 E
 * max_pool              pooling                2 E b                 8 E   (3x3, stride 1, pad 1)
 * max_pool_backward     pooling                4 E b                 8 E
 * avg_pool              pooling                2 E b                 9 E
 * subsample             resample               E b + E/4 b           0     (stride 2)
 * concat                concat                 2 E b                 0     (two [N, C/2, H, W] halves)
 * dw_conv3              depthwise_conv         2 E b                 18 E  (3x3, stride 1, pad 1)
 * dw_conv3_bwd_data     depthwise_conv         3 E b                 18 E
 * dw_conv3_bwd_filter   depthwise_conv         2 E b                 18 E
 * dil_conv5             depthwise_conv         2 E b                 50 E  (5x5, dilation 2, pad 4)
 * pw_conv               grouped_conv           2 E b                 2 C E (1x1, C to C)
 * pw_conv_bwd_data      grouped_conv           3 E b                 2 C E
 * pw_conv_bwd_filter    grouped_conv           2 E b                 2 C E
 * conv3                 grouped_conv           2 E b                 18 C E (dense 3x3, C to C)
 * linear                linear                 (2 R K + K K) b       2 R K K   (R = N*H, K = C*W)
 * softmax_ce            softmax_cross_entropy  3 R M b               5 R M     (R = N*H, M = C*W)
 * sign_agreement        sign_agreement         E b                   N E   (one compare-and-count per pair and unit)
 * gram                  gram                   E b                   2 N E (float64 products)
 * augment               augment                E + E b               3 E   (uint8 pixels in; float64 divide, subtract, multiply)
 * </pre>
 * {@code linear} multiplies x [N*H, C*W] by w [C*W, C*W]^T (K = C*W), a matrix shape of the
 * size a head or a 1x1 convolution as GEMM has; {@code softmax_ce} takes logits [N*H, C*W]
 * (R = N*H rows, M = C*W classes) and writes their gradient. Weight tensors are not counted in
 * the bytes of convolutions (C*k*k elements, negligible). {@code augment} builds a training batch
 * from host uint8 pixels (crop after padding 4, flip, Cutout of side H/2 on every sample; on a
 * device the call includes their upload), C channels as given (the CUDA kernel takes at most 16).
 */
enum OpWorkload {
    COPY("copy") {
        @Override
        Runnable bind(Setup s) {
            Tensor x = s.random(s.shape), y = s.random(s.shape);
            return () -> s.be.copy(x, y);
        }
    },
    AXPY("axpy", 3, 2) {
        @Override
        Runnable bind(Setup s) {
            Tensor x = s.random(s.shape), y = s.random(s.shape);
            return () -> s.be.axpy(1e-3, x, y);
        }
    },
    RELU("relu", 2, 1) {
        @Override
        Runnable bind(Setup s) {
            Tensor x = s.random(s.shape), y = s.random(s.shape);
            return () -> s.be.relu(x, y);
        }
    },
    RELU_BACKWARD("relu_backward", 4, 1) {
        @Override
        Runnable bind(Setup s) {
            Tensor x = s.random(s.shape), dy = s.random(s.shape), dx = s.random(s.shape);
            return () -> s.be.reluBackward(x, dy, dx);
        }
    },
    SCALE_ADD("scale_add", 3, 2) {
        @Override
        Runnable bind(Setup s) {
            Tensor x = s.random(s.shape), y = s.random(s.shape), factors = s.random(1, s.shape[0]);
            return () -> s.be.scaleAddPerSample(x, factors, 0, 1.25, y);
        }
    },
    DOT_PER_SAMPLE("dot_per_sample", 2, 2) {
        @Override
        Runnable bind(Setup s) {
            Tensor a = s.random(s.shape), b = s.random(s.shape);
            return () -> s.be.dotPerSample(a, b);
        }
    },
    SGD_MOMENTUM("sgd_momentum", 5, 6) {
        @Override
        Runnable bind(Setup s) {
            Tensor p = s.random(s.shape), g = s.random(s.shape), v = s.random(s.shape);
            return () -> s.be.sgdMomentum(p, g, v, 1e-4, 0.9, 3e-4);
        }
    },
    SGD_MOMENTUM_ALL("sgd_momentum_all", 5, 6) {
        /** Tensors per call, of the order of a net's parameter tensors (the initial net has 264), all in one call. */
        static final int TENSORS = 200;

        @Override
        Runnable bind(Setup s) {
            // uneven sizes (weights in [0.5, 1.5)) summing to E, as a net's parameter tensors are
            long total = (long) elements(s.shape);
            double[] weight = new double[TENSORS];
            double sum = 0;
            for (int i = 0; i < TENSORS; i++) {
                weight[i] = 0.5 + s.rng.nextDouble();
                sum += weight[i];
            }
            List<Tensor> p = new ArrayList<>(), g = new ArrayList<>(), v = new ArrayList<>();
            long given = 0;
            for (int i = 0; i < TENSORS; i++) {
                int size = (int) (i == TENSORS - 1 ? total - given : Math.floor(total * weight[i] / sum));
                given += size;
                p.add(s.random(size));
                g.add(s.random(size));
                v.add(s.random(size));
            }
            Tensor rate = s.positive(1);
            s.be.upload(rate, new double[] {1e-4});
            return () -> s.be.sgdMomentumAll(p, g, v, rate, 0.9, 3e-4);
        }
    },
    BN_TRAIN("bn_train", 2, 7) {
        @Override
        Runnable bind(Setup s) {
            int c = s.shape[1];
            Tensor x = s.random(s.shape), y = s.random(s.shape);
            Tensor gamma = s.random(c), beta = s.random(c), mean = s.random(c), inv = s.random(c);
            Tensor runMean = s.random(c), runVar = s.positive(c);
            return () -> s.be.batchNormTrain(x, gamma, beta, y, mean, inv, runMean, runVar, 0.1, 1e-5);
        }
    },
    BN_BACKWARD("bn_backward", 4, 9) {
        @Override
        Runnable bind(Setup s) {
            int c = s.shape[1];
            Tensor x = s.random(s.shape), y = s.random(s.shape), dy = s.random(s.shape), dx = s.random(s.shape);
            Tensor gamma = s.random(c), beta = s.random(c), mean = s.random(c), inv = s.random(c);
            Tensor runMean = s.random(c), runVar = s.positive(c), dGamma = s.random(c), dBeta = s.random(c);
            s.be.batchNormTrain(x, gamma, beta, y, mean, inv, runMean, runVar, 0.1, 1e-5);
            return () -> s.be.batchNormBackward(x, dy, gamma, mean, inv, dx, dGamma, dBeta);
        }
    },
    MAX_POOL("max_pool", 2, 8) {
        @Override
        Runnable bind(Setup s) {
            Tensor x = s.random(s.shape), y = s.random(s.shape);
            return () -> s.be.maxPool(x, y, POOL);
        }
    },
    MAX_POOL_BACKWARD("max_pool_backward", 4, 8) {
        @Override
        Runnable bind(Setup s) {
            Tensor x = s.random(s.shape), dy = s.random(s.shape), dx = s.random(s.shape);
            return () -> s.be.maxPoolBackward(x, dy, dx, POOL);
        }
    },
    AVG_POOL("avg_pool", 2, 9) {
        @Override
        Runnable bind(Setup s) {
            Tensor x = s.random(s.shape), y = s.random(s.shape);
            return () -> s.be.avgPool(x, y, POOL);
        }
    },
    SUBSAMPLE("subsample", 1.25, 0) {
        @Override
        Runnable bind(Setup s) {
            int[] sh = s.shape;
            Tensor x = s.random(sh), y = s.random(sh[0], sh[1], (sh[2] + 1) / 2, (sh[3] + 1) / 2);
            return () -> s.be.subsample(x, y, 2);
        }
    },
    CONCAT("concat", 2, 0) {
        @Override
        Runnable bind(Setup s) {
            int[] sh = s.shape;
            int half = sh[1] / 2;
            Tensor a = s.random(sh[0], half, sh[2], sh[3]), b = s.random(sh[0], sh[1] - half, sh[2], sh[3]);
            Tensor y = s.random(sh);
            List<Tensor> halves = List.of(a, b);
            return () -> s.be.concatChannels(halves, y);
        }
    },
    DW_CONV3("dw_conv3", 2, 18) {
        @Override
        Runnable bind(Setup s) {
            ConvGeometry g = new ConvGeometry(3, 1, 1, 1, s.shape[1]);
            Tensor x = s.random(s.shape), w = s.random(s.shape[1], 1, 3, 3), y = s.random(s.shape);
            return () -> s.be.conv2d(x, w, y, g);
        }
    },
    DW_CONV3_BWD_DATA("dw_conv3_bwd_data", 3, 18) {
        @Override
        Runnable bind(Setup s) {
            ConvGeometry g = new ConvGeometry(3, 1, 1, 1, s.shape[1]);
            Tensor dy = s.random(s.shape), w = s.random(s.shape[1], 1, 3, 3), dx = s.random(s.shape);
            return () -> s.be.conv2dBackwardData(dy, w, dx, g);
        }
    },
    DW_CONV3_BWD_FILTER("dw_conv3_bwd_filter", 2, 18) {
        @Override
        Runnable bind(Setup s) {
            ConvGeometry g = new ConvGeometry(3, 1, 1, 1, s.shape[1]);
            Tensor x = s.random(s.shape), dy = s.random(s.shape), dw = s.random(s.shape[1], 1, 3, 3);
            return () -> s.be.conv2dBackwardFilter(x, dy, dw, g);
        }
    },
    DIL_CONV5("dil_conv5", 2, 50) {
        @Override
        Runnable bind(Setup s) {
            ConvGeometry g = new ConvGeometry(5, 1, 4, 2, s.shape[1]);
            Tensor x = s.random(s.shape), w = s.random(s.shape[1], 1, 5, 5), y = s.random(s.shape);
            return () -> s.be.conv2d(x, w, y, g);
        }
    },
    PW_CONV("pw_conv", 2, 2, true) {
        @Override
        Runnable bind(Setup s) {
            int c = s.shape[1];
            Tensor x = s.random(s.shape), w = s.random(c, c, 1, 1), y = s.random(s.shape);
            return () -> s.be.conv2d(x, w, y, ConvGeometry.dense(1, 1, 0));
        }
    },
    PW_CONV_BWD_DATA("pw_conv_bwd_data", 3, 2, true) {
        @Override
        Runnable bind(Setup s) {
            int c = s.shape[1];
            Tensor dy = s.random(s.shape), w = s.random(c, c, 1, 1), dx = s.random(s.shape);
            return () -> s.be.conv2dBackwardData(dy, w, dx, ConvGeometry.dense(1, 1, 0));
        }
    },
    PW_CONV_BWD_FILTER("pw_conv_bwd_filter", 2, 2, true) {
        @Override
        Runnable bind(Setup s) {
            int c = s.shape[1];
            Tensor x = s.random(s.shape), dy = s.random(s.shape), dw = s.random(c, c, 1, 1);
            return () -> s.be.conv2dBackwardFilter(x, dy, dw, ConvGeometry.dense(1, 1, 0));
        }
    },
    CONV3("conv3", 2, 18, true) {
        @Override
        Runnable bind(Setup s) {
            int c = s.shape[1];
            Tensor x = s.random(s.shape), w = s.random(c, c, 3, 3), y = s.random(s.shape);
            return () -> s.be.conv2d(x, w, y, ConvGeometry.dense(3, 1, 1));
        }
    },
    LINEAR("linear", 0, 0) {
        @Override
        Runnable bind(Setup s) {
            int rows = s.shape[0] * s.shape[2];
            int k = s.shape[1] * s.shape[3];
            Tensor x = s.random(rows, k), w = s.random(k, k), b = s.random(k), y = s.random(rows, k);
            return () -> s.be.linear(x, w, b, y);
        }

        @Override
        double bytes(int[] shape, int bytesPerElement) {
            double rows = (double) shape[0] * shape[2];
            double k = (double) shape[1] * shape[3];
            return (2 * rows * k + k * k) * bytesPerElement;
        }

        @Override
        double flops(int[] shape) {
            double k = (double) shape[1] * shape[3];
            return 2.0 * shape[0] * shape[2] * k * k;
        }
    },
    SIGN_AGREEMENT("sign_agreement", 1, 0) {
        @Override
        Runnable bind(Setup s) {
            int n = s.shape[0];
            Tensor x = s.random(s.shape), k = s.random(n, n);
            return () -> s.be.signAgreement(x, k);
        }

        @Override
        double flops(int[] shape) {
            return (double) shape[0] * elements(shape);
        }
    },
    GRAM("gram", 1, 0) {
        @Override
        Runnable bind(Setup s) {
            Tensor a = s.random(s.shape);
            return () -> s.be.gram(a);
        }

        @Override
        double flops(int[] shape) {
            return 2.0 * shape[0] * elements(shape);
        }
    },
    AUGMENT("augment", 0, 3) {
        @Override
        Runnable bind(Setup s) {
            int n = s.shape[0], c = s.shape[1], h = s.shape[2], w = s.shape[3];
            Tensor out = s.random(s.shape);
            byte[] raw = new byte[n * c * h * w];
            s.rng.nextBytes(raw);
            int padding = 4;
            double[] mean = new double[c];
            double[] std = new double[c];
            for (int ch = 0; ch < c; ch++) {
                mean[ch] = 0.3 + 0.4 * s.rng.nextDouble();
                std[ch] = 0.1 + 0.3 * s.rng.nextDouble();
            }
            int[] cropY = new int[n], cropX = new int[n], cutY = new int[n], cutX = new int[n];
            boolean[] flip = new boolean[n];
            for (int i = 0; i < n; i++) {
                cropY[i] = s.rng.nextInt(2 * padding + 1);
                cropX[i] = s.rng.nextInt(2 * padding + 1);
                flip[i] = s.rng.nextBoolean();
                cutY[i] = s.rng.nextInt(h);
                cutX[i] = s.rng.nextInt(w);
            }
            AugmentPlan plan = new AugmentPlan(padding, h / 2, mean, std, cropY, cropX, flip, cutY, cutX);
            return () -> s.be.augment(raw, out, plan);
        }

        @Override
        double bytes(int[] shape, int bytesPerElement) {
            return (1.0 + bytesPerElement) * elements(shape);
        }
    },
    SOFTMAX_CE("softmax_ce", 3, 5) {
        @Override
        Runnable bind(Setup s) {
            int rows = s.shape[0] * s.shape[2];
            int classes = s.shape[1] * s.shape[3];
            Tensor logits = s.random(rows, classes), grad = s.random(rows, classes);
            double[] ids = new double[rows];
            for (int i = 0; i < rows; i++) {
                ids[i] = s.rng.nextInt(classes);
            }
            Tensor labels = s.random(rows), loss = s.random(1);
            s.be.upload(labels, ids);
            return () -> s.be.softmaxCrossEntropy(logits, labels, grad, loss, 1.0);
        }
    };

    static final PoolGeometry POOL = new PoolGeometry(3, 1, 1);

    final String label;
    private final double bytesPerElementOfE;
    private final double flopsPerElementOfE;
    /** FLOPs scale with the channel count too (a dense convolution's C multiply-adds per output). */
    private final boolean flopsPerChannel;

    OpWorkload(String label, double bytesPerElementOfE, double flopsPerElementOfE, boolean flopsPerChannel) {
        this.label = label;
        this.bytesPerElementOfE = bytesPerElementOfE;
        this.flopsPerElementOfE = flopsPerElementOfE;
        this.flopsPerChannel = flopsPerChannel;
    }

    OpWorkload(String label, double bytesPerElementOfE, double flopsPerElementOfE) {
        this(label, bytesPerElementOfE, flopsPerElementOfE, false);
    }

    OpWorkload(String label) {
        this(label, 2, 0);
    }

    /** Allocates and fills the op's tensors; the returned action runs the op once. */
    abstract Runnable bind(Setup s);

    /** Compulsory bytes of one call. */
    double bytes(int[] shape, int bytesPerElement) {
        return bytesPerElementOfE * elements(shape) * bytesPerElement;
    }

    /** FLOPs of one call. */
    double flops(int[] shape) {
        return flopsPerElementOfE * elements(shape) * (flopsPerChannel ? shape[1] : 1);
    }

    static double elements(int[] shape) {
        return (double) shape[0] * shape[1] * shape[2] * shape[3];
    }

    static OpWorkload of(String label) {
        for (OpWorkload w : values()) {
            if (w.label.equals(label)) {
                return w;
            }
        }
        List<String> known = new ArrayList<>();
        for (OpWorkload w : values()) {
            known.add(w.label);
        }
        throw new IllegalArgumentException("unknown op '" + label + "'; known: " + String.join(", ", known));
    }

    /** The backend, the activation shape and the tensors an op was given (closed together). */
    static final class Setup implements AutoCloseable {
        final Backend be;
        final int[] shape;
        final Random rng;
        private final List<Tensor> tensors = new ArrayList<>();

        Setup(Backend be, int[] shape, long seed) {
            this.be = be;
            this.shape = shape.clone();
            this.rng = new Random(seed);
        }

        /** A tensor of standard normal values (never zeros: a kernel must see real data). */
        Tensor random(int... dims) {
            Tensor t = be.allocate(dims);
            tensors.add(t);
            float[] v = new float[(int) t.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) rng.nextGaussian();
            }
            be.upload(t, v);
            return t;
        }

        /** A tensor of values in [0.5, 1.5) (variances). */
        Tensor positive(int... dims) {
            Tensor t = be.allocate(dims);
            tensors.add(t);
            float[] v = new float[(int) t.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = 0.5f + rng.nextFloat();
            }
            be.upload(t, v);
            return t;
        }

        @Override
        public void close() {
            for (Tensor t : tensors) {
                t.close();
            }
            tensors.clear();
        }
    }
}
