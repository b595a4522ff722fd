package org.spidernet.backend.cpu;

import org.spidernet.backend.ClassLabels;
import org.spidernet.backend.LossOps;
import org.spidernet.backend.LossShapes;
import org.spidernet.backend.Tensor;

/**
 * Softmax cross-entropy on the {@link CpuBackend}, in float32 like every other cpu op: per row
 * the float32 maximum, float32 exponentials of the max-shifted logits and a log-sum-exp, so the
 * loss stays finite where softmax[label] underflows and no exponential overflows. The row sum and
 * the batch total accumulate in float64 (up to thousands of classes and samples, where a float32
 * running sum would lose digits); each exponential and each gradient element is a float32 value.
 * The logits are a small [N, classes] matrix, so this runs on the calling thread.
 */
final class Loss implements LossOps {
    private final Storage storage;

    Loss(Storage storage) {
        this.storage = storage;
    }

    @Override
    public void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dLogits, Tensor loss, double scale) {
        String op = "softmaxCrossEntropy";
        CpuTensor ls = storage.tensor(logits, op, "logits");
        CpuTensor ds = storage.tensor(dLogits, op, "dLogits");
        CpuTensor lbs = storage.tensor(labels, op, "labels");
        CpuTensor out = storage.tensor(loss, op, "loss");
        LossShapes d = LossShapes.of(op, logits.shape(), dLogits.shape(), loss.shape());
        LossShapes.aliasing(op, logits, labels, dLogits, loss);
        int batch = d.batch();
        int classes = d.classes();
        float[] labelValues = lbs.floats();
        double[] asDoubles = new double[labelValues.length];
        for (int n = 0; n < asDoubles.length; n++) {
            asDoubles[n] = labelValues[n];
        }
        int[] ids = ClassLabels.read(op, asDoubles, labels.shape(), batch, classes, logits.shape());
        float[] z = ls.floats();
        float[] grad = ds.floats();
        float[] exp = new float[classes];
        // dL/dz = scale * (softmax - onehot) / batch; the factor rounded to float32 once
        float coefficient = (float) (scale / batch);
        double total = 0;
        for (int n = 0; n < batch; n++) {
            int row = n * classes;
            float max = Float.NEGATIVE_INFINITY;
            for (int m = 0; m < classes; m++) {
                max = Math.max(max, z[row + m]);
            }
            double sum = 0;
            for (int m = 0; m < classes; m++) {
                // z - max <= 0, so exp <= 1 and the max's own term is exactly 1: sum >= 1
                exp[m] = (float) Math.exp(z[row + m] - max);
                sum += exp[m];
            }
            float sumF = (float) sum;
            // -log softmax[label] = log(sum) - (z[label] - max), finite even where softmax[label] is 0
            float rowLoss = (float) Math.log(sumF) - (z[row + ids[n]] - max);
            total += rowLoss;
            float inverse = 1f / sumF;
            for (int m = 0; m < classes; m++) {
                float p = exp[m] * inverse;
                float target = m == ids[n] ? 1f : 0f;
                grad[row + m] += coefficient * (p - target);
            }
        }
        ds.buffer().put(0, grad, 0, grad.length);
        out.buffer().put(0, (float) (out.buffer().get(0) + scale * (total / batch)));
    }
}
