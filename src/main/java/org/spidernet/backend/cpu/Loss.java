package org.spidernet.backend.cpu;

import static org.spidernet.backend.ShapeCheck.distinct;

import org.spidernet.backend.ClassLabels;
import org.spidernet.backend.LossShapes;
import org.spidernet.backend.Tensor;

/**
 * Softmax cross-entropy on the {@link CpuBackend}, computed in float64 on the host: the logits
 * are a small [N, classes] matrix, and the max-subtracted log-sum-exp keeps the loss finite where
 * softmax[label] underflows.
 */
final class Loss {
    private final Storage storage;

    Loss(Storage storage) {
        this.storage = storage;
    }

    void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dLogits, Tensor loss, double scale) {
        String op = "softmaxCrossEntropy";
        CpuTensor ls = storage.tensor(logits, op, "logits");
        CpuTensor ds = storage.tensor(dLogits, op, "dLogits");
        CpuTensor lbs = storage.tensor(labels, op, "labels");
        CpuTensor out = storage.tensor(loss, op, "loss");
        LossShapes d = LossShapes.of(op, logits.shape(), dLogits.shape(), loss.shape());
        distinct(op, "dLogits", dLogits, "logits", logits);
        for (Tensor in : new Tensor[] {logits, labels, dLogits}) {
            distinct(op, "loss", loss, "an input", in);
        }
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
        double total = 0;
        double[] exp = new double[classes];
        for (int n = 0; n < batch; n++) {
            int row = n * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int m = 0; m < classes; m++) {
                max = Math.max(max, z[row + m]);
            }
            double sum = 0;
            for (int m = 0; m < classes; m++) {
                exp[m] = Math.exp(z[row + m] - max);
                sum += exp[m];
            }
            total += Math.log(sum) - (z[row + ids[n]] - max);
            for (int m = 0; m < classes; m++) {
                double target = m == ids[n] ? 1.0 : 0.0;
                grad[row + m] += (float) (scale * (exp[m] / sum - target) / batch);
            }
        }
        ds.buffer().put(0, grad, 0, grad.length);
        out.buffer().put(0, (float) (out.buffer().get(0) + scale * (total / batch)));
    }
}
