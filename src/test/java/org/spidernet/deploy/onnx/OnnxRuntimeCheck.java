package org.spidernet.deploy.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.spidernet.data.ChannelStats;
import org.spidernet.exec.Network;
import org.spidernet.graph.ir.NodeOp;

import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;

/**
 * Runs an exported model in ONNX Runtime and the engine's reference backend (float64, eval mode)
 * on the same fresh random images and measures how far apart their logits are.
 */
final class OnnxRuntimeCheck {
    private OnnxRuntimeCheck() {
    }

    /**
     * Both sides' logits for one batch, [batch * classes] row-major, and the model's for the
     * batch's first image run alone (a batch of 1: the batch dimension is symbolic).
     */
    record Logits(double[] engine, double[] onnx, double[] onnxFirstAlone, int classes) {
        /** ||onnx - engine|| / ||engine||, over the whole batch. */
        double relativeError() {
            return relativeError(engine, onnx);
        }

        /** The same for the first image run alone against the engine's first row. */
        double firstAloneRelativeError() {
            return relativeError(java.util.Arrays.copyOf(engine, classes), onnxFirstAlone);
        }

        static double relativeError(double[] expected, double[] actual) {
            double diff = 0;
            double norm = 0;
            for (int i = 0; i < expected.length; i++) {
                diff += (actual[i] - expected[i]) * (actual[i] - expected[i]);
                norm += expected[i] * expected[i];
            }
            return Math.sqrt(diff / norm);
        }
    }

    /**
     * Draws a batch of pixels in [0, 1], feeds the engine {@code (x - mean) / std} (or the pixels
     * themselves read as a normalised batch when {@code stats} is null), and runs {@code model}
     * on what its contract says it takes: the pixels when it normalises, else the same tensor.
     */
    static Logits compare(Network net, byte[] model, ChannelStats stats, Random r) throws OrtException {
        NodeOp.Input in = net.plan().architecture().input();
        int c = in.channels();
        int plane = in.height() * in.width();
        int n = EvalNetworks.BATCH;
        double[] pixels = new double[n * c * plane];
        double[] engineInput = new double[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = r.nextDouble();
            int ch = i / plane % c;
            // the engine's normalisation (ImageDataset): a channel with std 0 is only centred
            engineInput[i] = stats == null ? pixels[i]
                    : (pixels[i] - stats.mean(ch)) * (stats.std(ch) > 0 ? 1 / stats.std(ch) : 1);
        }
        net.forward(engineInput, false, 0.0, r);
        double[] engine = net.classifierLogits();
        double[] onnx = run(model, pixels, new long[] {n, c, in.height(), in.width()});
        double[] first = run(model, java.util.Arrays.copyOf(pixels, c * plane), new long[] {1, c, in.height(), in.width()});
        return new Logits(engine, onnx, first, net.plan().classes());
    }

    /** The model's logits for one input tensor, flattened. */
    static double[] run(byte[] model, double[] input, long[] shape) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[] f = new float[input.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) input[i];
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(model, options);
             OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(f), shape);
             OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, x))) {
            float[][] logits = (float[][]) result.get(OnnxExport.OUTPUT).orElseThrow().getValue();
            double[] out = new double[logits.length * logits[0].length];
            for (int s = 0; s < logits.length; s++) {
                for (int k = 0; k < logits[s].length; k++) {
                    out[s * logits[s].length + k] = logits[s][k];
                }
            }
            return out;
        }
    }
}
