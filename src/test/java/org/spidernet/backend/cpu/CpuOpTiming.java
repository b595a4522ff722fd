package org.spidernet.backend.cpu;

import java.util.Arrays;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.spidernet.graph.ir.ConvGeometry;
import org.spidernet.graph.ir.PoolGeometry;
import org.spidernet.backend.Tensor;

/**
 * Throughput probe for the CPU backend's hot ops on the search network's largest activation,
 * [64, 16, 28, 28]: prints milliseconds per call (median and best of the timed repetitions).
 * The headline is the depthwise 5x5 convolution forward + backward (data and filter), beside
 * libnd4j's own {@code depthwise_conv2d} / {@code depthwise_conv2d_bp} on the same shapes,
 * which is why the backend does not use them. A main class, not a test: timings do not belong
 * in the test suite.
 *
 * <pre>
 * mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) org.spidernet.backend.cpu.CpuOpTiming [reps]
 * </pre>
 */
public final class CpuOpTiming {
    private static final int N = 64;
    private static final int C = 16;
    private static final int H = 28;

    private CpuOpTiming() {
    }

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Random rnd = new Random(42);
        try (CpuBackend b = new CpuBackend()) {
            System.out.printf("cpu backend, %d workers, %d reps, x = [%d, %d, %d, %d]%n",
                    Runtime.getRuntime().availableProcessors(), reps, N, C, H, H);
            Tensor x = random(b, rnd, N, C, H, H);
            Tensor dx = random(b, rnd, N, C, H, H);
            for (int[] cfg : new int[][] {{5, 1, 2, 1}, {3, 1, 1, 1}, {5, 1, 4, 2}, {3, 1, 2, 2}, {5, 2, 2, 1}, {3, 2, 1, 1}}) {
                ConvGeometry g = new ConvGeometry(cfg[0], cfg[1], cfg[2], cfg[3], C);
                int o = g.outSize(H);
                Tensor w = random(b, rnd, C, 1, g.kernel(), g.kernel());
                Tensor dw = b.allocate(C, 1, g.kernel(), g.kernel());
                Tensor y = random(b, rnd, N, C, o, o);
                String name = String.format("depthwise %dx%d s%d d%d", g.kernel(), g.kernel(), g.stride(), g.dilation());
                double f = time(name + " forward", reps, () -> b.conv2d(x, w, y, g));
                double bd = time(name + " backward data", reps, () -> b.conv2dBackwardData(y, w, dx, g));
                double bf = time(name + " backward filter", reps, () -> b.conv2dBackwardFilter(x, y, dw, g));
                System.out.printf("%-44s %9.2f ms%n", name + " forward + backward", f + bd + bf);
                for (Tensor t : new Tensor[] {w, dw, y}) {
                    t.close();
                }
            }
            for (int cout : new int[] {16, 32}) {
                ConvGeometry g = ConvGeometry.dense(1, 1, 0);
                Tensor w = random(b, rnd, cout, C, 1, 1);
                Tensor dw = b.allocate(cout, C, 1, 1);
                Tensor y = random(b, rnd, N, cout, H, H);
                String name = "pointwise 16->" + cout;
                time(name + " forward", reps, () -> b.conv2d(x, w, y, g));
                time(name + " backward data", reps, () -> b.conv2dBackwardData(y, w, dx, g));
                time(name + " backward filter", reps, () -> b.conv2dBackwardFilter(x, y, dw, g));
                for (Tensor t : new Tensor[] {w, dw, y}) {
                    t.close();
                }
            }
            Tensor y = b.allocate(N, C, H, H);
            Tensor gamma = random(b, rnd, C);
            Tensor beta = random(b, rnd, C);
            Tensor mean = b.allocate(C);
            Tensor inv = b.allocate(C);
            Tensor rm = b.allocate(C);
            Tensor rv = b.allocate(C);
            time("batch norm train", reps, () -> b.batchNormTrain(x, gamma, beta, y, mean, inv, rm, rv, 0.1, 1e-5));
            time("batch norm backward", reps, () -> b.batchNormBackward(x, y, gamma, mean, inv, dx, rm, rv));
            PoolGeometry p = new PoolGeometry(3, 1, 1);
            time("max pool 3x3", reps, () -> b.maxPool(x, y, p));
            time("max pool 3x3 backward", reps, () -> b.maxPoolBackward(x, y, dx, p));
            time("avg pool 3x3", reps, () -> b.avgPool(x, y, p));
            time("avg pool 3x3 backward", reps, () -> b.avgPoolBackward(y, dx, p));
            time("relu", reps, () -> b.relu(x, y));
            time("relu backward", reps, () -> b.reluBackward(x, y, dx));
            Tensor factors = b.allocate(1, N);
            b.fill(factors, 1.0);
            time("scale add per sample", reps, () -> b.scaleAddPerSample(x, factors, 0, 0.5, y));
            time("dot per sample", reps, () -> b.dotPerSample(x, y));
            time("axpy", reps, () -> b.axpy(0.5, x, y));
            time("copy", reps, () -> b.copy(x, y));
            time("fill", reps, () -> b.fill(y, 0.25));
        }

        // libnd4j's depthwise ops on the same shapes; weights [kH, kW, iC, mC] via wFormat 1 = [mC, iC, kH, kW]
        int ndReps = Math.max(2, reps / 5);
        INDArray xa = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, N, C, H, H);
        INDArray wa = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, C, 5, 5);
        INDArray ya = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, N, C, H, H);
        INDArray dxa = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, N, C, H, H);
        INDArray dwa = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, C, 5, 5);
        long[] iArgs = {5, 5, 1, 1, 2, 2, 1, 1, 0, 0, 1};
        double f = time("libnd4j depthwise_conv2d 5x5", ndReps,
                () -> Nd4j.exec(op("depthwise_conv2d", new INDArray[] {xa, wa}, new INDArray[] {ya}, iArgs)));
        double bw = time("libnd4j depthwise_conv2d_bp 5x5", ndReps,
                () -> Nd4j.exec(op("depthwise_conv2d_bp", new INDArray[] {xa, wa, ya}, new INDArray[] {dxa, dwa}, iArgs)));
        System.out.printf("%-44s %9.2f ms%n", "libnd4j depthwise 5x5 forward + backward", f + bw);

        // libnd4j pooling, 3x3 stride 1 padding 1: iArgs kH, kW, sH, sW, pH, pW, dH, dW, same, extra, NHWC
        long[] pool = {3, 3, 1, 1, 1, 1, 1, 1, 0, 0, 0};
        time("libnd4j maxpool2d 3x3", reps,
                () -> Nd4j.exec(op("maxpool2d", new INDArray[] {xa}, new INDArray[] {ya}, pool)));
        time("libnd4j maxpool2d_bp 3x3", reps,
                () -> Nd4j.exec(op("maxpool2d_bp", new INDArray[] {xa, ya}, new INDArray[] {dxa}, pool)));
        time("libnd4j avgpool2d 3x3", reps,
                () -> Nd4j.exec(op("avgpool2d", new INDArray[] {xa}, new INDArray[] {ya}, pool)));
        time("libnd4j avgpool2d_bp 3x3", reps,
                () -> Nd4j.exec(op("avgpool2d_bp", new INDArray[] {xa, ya}, new INDArray[] {dxa}, pool)));
    }

    private static DynamicCustomOp op(String name, INDArray[] in, INDArray[] out, long[] iArgs) {
        DynamicCustomOp op = new DynamicCustomOp(name, in, out);
        op.addIArgument(iArgs);
        return op;
    }

    private static Tensor random(CpuBackend b, Random rnd, int... shape) {
        Tensor t = b.allocate(shape);
        float[] v = new float[(int) t.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        b.upload(t, v);
        return t;
    }

    /** Prints and returns the median milliseconds per call after a warm-up. */
    private static double time(String name, int reps, Runnable r) {
        for (int i = 0; i < Math.max(3, reps / 4); i++) {
            r.run();
        }
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            r.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        double median = ms[reps / 2];
        System.out.printf("%-44s %9.2f ms  (best %.2f)%n", name, median, ms[0]);
        return median;
    }
}
