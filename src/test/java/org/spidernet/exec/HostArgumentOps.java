package org.spidernet.exec;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import org.spidernet.backend.Backend;
import org.spidernet.backend.Tensor;

/**
 * The backend SPI as it was before per-step data moved into tensors, kept as an independent
 * oracle: a {@link Backend} that delegates every op to a real backend except the four that used
 * to take host arrays or host numbers, which it computes here from HOST data exactly as the
 * reference and cpu backends did (same float64 / float32 arithmetic, same order):
 * <ul>
 *   <li>{@code scaleAddPerSample}: the per-sample scale {@code open * pathFactor[gate][n]} of the
 *       network's host state (the gate is open whenever the op is called), ignoring the factor
 *       tensor and its scale argument;</li>
 *   <li>{@code gateGradient}: {@code sum_n pathFactor[gate][n] * dot_n} from the host factors;</li>
 *   <li>{@code softmaxCrossEntropy}: the host {@link #labels}, ignoring the label tensor; the
 *       loss is summed on the host into {@link #loss} in float64 as {@code Network.backward} did,
 *       from the per-row arithmetic of each backend (float64 on the reference, float32 on cpu);</li>
 *   <li>{@code sgdMomentumAll}: the host learning rate {@link #rate}, ignoring the rate tensor, with
 *       the per-element update the backends ran when the rate was a double argument (float64 on
 *       the reference; on cpu the rate, momentum and decay cast to float32 and float32 arithmetic).</li>
 * </ul>
 * The fused gated sums ({@code gatedSum}, {@code gatedSumBackward}) run as the SPI's default
 * defines them, as loops over the first two, so they also use the host factors.
 */
final class HostArgumentOps implements InvocationHandler {
    private final Backend real;
    /** The network whose host gate state supplies the factors (set after binding). */
    RunContext context;
    /** This step's labels. */
    int[] labels;
    /** Sum of weight * mean loss over the heads since the last reset, in float64. */
    double loss;
    /** The learning rate of the next SGD update, as the host passed it before it moved into a tensor. */
    double rate = Double.NaN;

    private HostArgumentOps(Backend real) {
        this.real = real;
    }

    /** The oracle backend and its handler (to set the context, the labels and read the loss). */
    static HostArgumentOps over(Backend real) {
        return new HostArgumentOps(real);
    }

    Backend backend() {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, this);
    }

    private boolean float32() {
        return real.bytesPerElement() == 4;
    }

    @Override
    public Object invoke(Object proxy, java.lang.reflect.Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            // the fused gated sums as the SPI defines them: the per-op calls below, in op order
            case "gatedSum", "gatedSumBackward" -> {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            case "scaleAddPerSample" -> {
                scaleAdd((Tensor) args[0], (Integer) args[2], (Tensor) args[4]);
                return null;
            }
            case "gateGradient" -> {
                gateGradient((Tensor) args[0], (Tensor) args[1], (Tensor) args[4], (Integer) args[5]);
                return null;
            }
            case "softmaxCrossEntropy" -> {
                loss += (Double) args[4] * crossEntropy((Tensor) args[0], (Tensor) args[2], (Double) args[4]);
                return null;
            }
            case "sgdMomentumAll" -> {
                List<?> params = (List<?>) args[0];
                List<?> grads = (List<?>) args[1];
                List<?> velocities = (List<?>) args[2];
                for (int i = 0; i < params.size(); i++) {
                    sgdMomentum((Tensor) params.get(i), (Tensor) grads.get(i), (Tensor) velocities.get(i),
                            (Double) args[4], (Double) args[5]);
                }
                return null;
            }
            default -> {
                try {
                    return method.invoke(real, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        }
    }

    private void scaleAdd(Tensor x, int gate, Tensor y) {
        double open = context.gateOpen[gate] ? 1.0 : 0.0;
        double[] f = context.pathFactor[gate];
        double[] xs = real.download(x);
        double[] ys = real.download(y);
        int per = ys.length / f.length;
        for (int n = 0; n < f.length; n++) {
            double scale = open * f[n];
            float scale32 = (float) scale;
            for (int i = n * per; i < (n + 1) * per; i++) {
                ys[i] = float32() ? (float) ys[i] + scale32 * (float) xs[i] : ys[i] + scale * xs[i];
            }
        }
        real.upload(y, ys);
    }

    /** g = grad + decay * param; velocity = momentum * velocity + g; param -= rate * velocity. */
    private void sgdMomentum(Tensor param, Tensor grad, Tensor velocity, double momentum, double decay) {
        if (Double.isNaN(rate)) {
            throw new IllegalStateException("the oracle's learning rate was not set");
        }
        double[] ps = real.download(param);
        double[] gs = real.download(grad);
        double[] vs = real.download(velocity);
        float rate32 = (float) rate;
        float momentum32 = (float) momentum;
        float decay32 = (float) decay;
        for (int i = 0; i < ps.length; i++) {
            if (float32()) {
                float p = (float) ps[i];
                float v = momentum32 * (float) vs[i] + ((float) gs[i] + decay32 * p);
                vs[i] = v;
                ps[i] = p - rate32 * v;
            } else {
                double g = gs[i] + decay * ps[i];
                vs[i] = momentum * vs[i] + g;
                ps[i] -= rate * vs[i];
            }
        }
        real.upload(velocity, vs);
        real.upload(param, ps);
    }

    private void gateGradient(Tensor dy, Tensor x, Tensor gateGrads, int gate) {
        double[] f = context.pathFactor[gate];
        double[] dots = real.dotPerSample(dy, x);
        double sum = 0;
        for (int n = 0; n < dots.length; n++) {
            sum += f[n] * dots[n];
        }
        double[] g = real.download(gateGrads);
        g[gate] = float32() ? (float) (g[gate] + sum) : g[gate] + sum;
        real.upload(gateGrads, g);
    }

    /** The mean loss, with dLogits += scale * (softmax - onehot) / batch, as the host-label op computed it. */
    private double crossEntropy(Tensor logits, Tensor dLogits, double scale) {
        int[] shape = logits.shape();
        int batch = shape[0];
        int classes = shape[1];
        double[] z = real.download(logits);
        double[] grad = real.download(dLogits);
        if (float32()) {
            double total = crossEntropy32(z, grad, batch, classes, scale);
            real.upload(dLogits, grad);
            return total / batch;
        }
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
            total += Math.log(sum) - (z[row + labels[n]] - max);
            for (int m = 0; m < classes; m++) {
                double target = m == labels[n] ? 1.0 : 0.0;
                double p = exp[m] / sum;
                grad[row + m] += scale * (p - target) / batch;
            }
        }
        real.upload(dLogits, grad);
        return total / batch;
    }

    /**
     * The float32 backend's loss: float32 max, exponentials and softmax, the row sum and the total
     * of the float32 row losses in float64; returns the total and updates {@code grad}.
     */
    private double crossEntropy32(double[] z, double[] grad, int batch, int classes, double scale) {
        float coefficient = (float) (scale / batch);
        float[] exp = new float[classes];
        double total = 0;
        for (int n = 0; n < batch; n++) {
            int row = n * classes;
            float max = Float.NEGATIVE_INFINITY;
            for (int m = 0; m < classes; m++) {
                max = Math.max(max, (float) z[row + m]);
            }
            double sum = 0;
            for (int m = 0; m < classes; m++) {
                exp[m] = (float) Math.exp((float) z[row + m] - max);
                sum += exp[m];
            }
            float sumF = (float) sum;
            total += (float) Math.log(sumF) - ((float) z[row + labels[n]] - max);
            float inverse = 1f / sumF;
            for (int m = 0; m < classes; m++) {
                float target = m == labels[n] ? 1f : 0f;
                grad[row + m] = (float) grad[row + m] + coefficient * (exp[m] * inverse - target);
            }
        }
        return total;
    }
}
