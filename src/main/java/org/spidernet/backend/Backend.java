package org.spidernet.backend;

/**
 * The numeric SPI every backend implements: tensor storage and the forward and backward ops the
 * SpiderNet search space needs. The engine core only talks to this interface.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li>Images are NCHW; matrices row-major. Outputs are pre-allocated by the caller (the
 *       execution plan owns every buffer), so a backend never allocates inside an op except
 *       for workspace it reports through {@link #memory()}.</li>
 *   <li><b>Forward ops overwrite</b> their output. <b>Backward ops accumulate</b>: they add into
 *       every gradient tensor they are given ({@code dx}, {@code dw}, ...), so a tensor consumed
 *       in several places gets the sum; the caller zeroes gradients before a backward pass.</li>
 *   <li>Host data crosses the boundary only through {@link #upload}, {@link #download},
 *       {@link #dot}, {@link #dotPerSample}, {@link #gram} and {@link #augment}. The per-step
 *       data of a training step (labels, drop-path factors) is uploaded into tensors before the
 *       step and its results (loss, gate gradients) stay in tensors until read after it, so no op
 *       of a step waits for the host and a device backend can {@link #capture} the step.</li>
 *   <li>Arguments are checked for shape agreement; a mismatch is an
 *       {@link IllegalArgumentException} naming the shapes.</li>
 *   <li>Running out of device memory is a {@link DeviceOutOfMemoryException} from
 *       {@link #allocate}, never an error of another type: the caller can tell it apart, free what
 *       it holds and carry on with something smaller.</li>
 * </ul>
 */
public interface Backend extends AutoCloseable {

    /** Provider name ({@code reference}, {@code cpu}, {@code cuda}). */
    String name();

    /** Bytes per element: 8 for the float64 reference backend, 4 for float32 backends. */
    int bytesPerElement();

    // ---------------------------------------------------------------- storage

    /**
     * A new tensor of the given shape, filled with zeros.
     *
     * @throws DeviceOutOfMemoryException when the device cannot hold it (its memory, or the
     *         capacity the backend was opened with, is used up); nothing is then allocated and
     *         {@link #memory()} is unchanged
     */
    Tensor allocate(int... shape);

    /** Copies {@code data} (length must equal the tensor size) into {@code dst}. */
    void upload(Tensor dst, double[] data);

    /** Copies {@code data} (length must equal the tensor size) into {@code dst}. */
    void upload(Tensor dst, float[] data);

    /** The tensor's contents as float64, row-major. */
    double[] download(Tensor src);

    /** Allocation accounting since the backend was opened. */
    MemoryStats memory();

    /** Sets the high-water mark to the bytes in use now. */
    void resetPeak();

    /** Blocks until queued work is done (no-op for synchronous backends). */
    default void synchronize() {
    }

    /** Releases everything this backend still holds. */
    @Override
    void close();

    // ---------------------------------------------------------------- elementwise and reductions

    /** t[:] = value. */
    void fill(Tensor t, double value);

    /** dst[:] = src[:] (same size). */
    void copy(Tensor src, Tensor dst);

    /**
     * dst[offset + t] = src[t] for every element t of src, both taken as flat row-major arrays:
     * writes one slice of a larger tensor (a sample's row of a Jacobian), leaving the rest of dst
     * as it was. Requires 0 &lt;= offset and offset + src.size &lt;= dst.size; src must not be dst.
     */
    void copyInto(Tensor src, Tensor dst, long offset);

    /** y += alpha * x (same size). */
    void axpy(double alpha, Tensor x, Tensor y);

    /** Sum of a[i] * b[i] over all elements (same size). */
    double dot(Tensor a, Tensor b);

    /** For each sample n of the outer dimension: sum over the rest of a[n,...] * b[n,...]. */
    double[] dotPerSample(Tensor a, Tensor b);

    /**
     * gateGrads[gate] += sum over samples n of f[n] * (sum over the rest of dy[n,...] * x[n,...]),
     * with the per-sample factor {@code f[n] = scale * factors[gate, n]} formed in float64: one
     * gate's straight-through gradient with its drop-path factors, accumulated where the data
     * lives, so a backward pass never waits for the host ({@code gateGrads}, 1-D, is read once per
     * step). {@code factors} is [G, N] (N = dy's outer dimension), uploaded before the step.
     * Products and sums are formed in float64; the total is rounded once to the backend's element
     * type when it is added.
     *
     * <p>Why a separate {@code scale}: the engine keeps the drop-path mask (0 or 1) in
     * {@code factors} and passes {@code 1 / keep} here, because a float32 tensor cannot hold
     * {@code 1 / keep} exactly and the float64 sum would change with its rounding.
     */
    void gateGradient(Tensor dy, Tensor x, Tensor factors, double scale, Tensor gateGrads, int gate);

    /**
     * For each sample n of the outer dimension: y[n,...] += f[n] * x[n,...] with
     * {@code f[n] = scale * factors[row, n]} formed in float64 (then rounded once to the
     * backend's element type). This is the gated op output accumulated into its node, with
     * drop-path folded into the per-sample factor ({@code mask[n] / keep}); backward uses the same
     * call with the upstream gradient. {@code factors} is [rows, N], a device tensor uploaded
     * before the step, so the op reads no host data (see {@link #gateGradient} for why
     * {@code scale} is separate).
     */
    void scaleAddPerSample(Tensor x, Tensor factors, int row, double scale, Tensor y);

    /**
     * A node's gated sum over its ops in one call: for j = 0, 1, ... in list order,
     * {@code y[n,...] += f_j[n] * xs[j][n,...]} with {@code f_j[n] = scales[j] * factors[rows[j], n]},
     * exactly {@link #scaleAddPerSample}{@code (xs[j], factors, rows[j], scales[j], y)} op after op
     * (bit for bit: a float32 backend rounds after each op's product and sum as that loop does).
     * A device backend reads y once and writes it once for all ops instead of once per op.
     *
     * <p>Every x has y's shape; {@code xs}, {@code rows} and {@code scales} have one entry per op
     * (empty lists are a no-op); y must not be one of the xs or the
     * factors (an {@link IllegalArgumentException} names them, see {@link GatedSumArgs}). The same
     * x may appear twice. This default checks, then loops over {@link #scaleAddPerSample}.
     */
    default void gatedSum(java.util.List<Tensor> xs, Tensor factors, int[] rows, double[] scales, Tensor y) {
        int n = GatedSumArgs.checkForward("gatedSum", xs, factors, rows, scales, y);
        for (int j = 0; j < n; j++) {
            scaleAddPerSample(xs.get(j), factors, rows[j], scales[j], y);
        }
    }

    /**
     * The backward of {@link #gatedSum} in one call, reading dy once on a device backend: for
     * j = 0, 1, ... in list order, with {@code gate = gates[j]} (the op's row of {@code factors}
     * and its element of {@code gateGrads}),
     * <pre>
     *   gateGradient(dy, xs[j], factors, scales[j], gateGrads, gate)          the gate's gradient, every op
     *   scaleAddPerSample(dy, factors, gate, scales[j], dxs[j])                only where dxs[j] is not null
     * </pre>
     * bit for bit: {@code gateGrads[gate] += sum_n f_j[n] * <dy[n], xs[j][n]>} in float64, rounded
     * once per op, and {@code dxs[j] += f_j[n] * dy[n]}, {@code f_j[n] = scales[j] * factors[gate, n]}.
     * A null {@code dxs[j]} is an op that gets no gradient (a closed gate's op still gets its gate's
     * straight-through gradient).
     *
     * <p>Every x and every dx has dy's shape; the four lists/arrays have one entry per op; no dx may
     * be dy, any x, another dx, the factors or {@code gateGrads}, and {@code gateGrads} may be none
     * of dy, the xs and the factors (an {@link IllegalArgumentException} names them, see
     * {@link GatedSumArgs}). This default checks, then loops over the two per-op calls.
     */
    default void gatedSumBackward(Tensor dy, java.util.List<Tensor> xs, Tensor factors, int[] gates, double[] scales,
                                  java.util.List<Tensor> dxs, Tensor gateGrads) {
        int n = GatedSumArgs.checkBackward("gatedSumBackward", dy, xs, factors, gates, scales, dxs, gateGrads);
        for (int j = 0; j < n; j++) {
            gateGradient(dy, xs.get(j), factors, scales[j], gateGrads, gates[j]);
            Tensor dx = dxs.get(j);
            if (dx != null) {
                scaleAddPerSample(dy, factors, gates[j], scales[j], dx);
            }
        }
    }

    /** y = max(x, 0). */
    void relu(Tensor x, Tensor y);

    /** dx += dy * [x > 0], where x is the forward input. */
    void reluBackward(Tensor x, Tensor dy, Tensor dx);

    // ---------------------------------------------------------------- input pipeline

    /**
     * Builds a normalised, augmented batch in {@code out} [N, C, H, W] from the raw pixels of its
     * images: {@code raw} is a HOST array of uint8 values, image after image in CHW order, of which
     * the first {@code plan.samples()} images are used. For sample n &lt; {@code plan.samples()},
     * with p the padding, (cy0, cx0) the crop offset and h = cutout / 2:
     * <pre>
     *   sy = y + cy0 - p;   sx = (flip ? W - 1 - x : x) + cx0 - p
     *   v  = raw[n, c, sy, sx] inside the image, else 0        (zero padding, before normalising)
     *   out[n, c, y, x] = float32((v / 255 - mean[c]) * scale[c])     (computed in float64)
     *   out[n, c, y, x] = 0 where the sample has a Cutout centre (ky, kx) and
     *                     ky - h &lt;= y &lt; ky + h, kx - h &lt;= x &lt; kx + h     (after normalising)
     * </pre>
     * Samples from {@code plan.samples()} on are zeros. The rounding to float32 is part of the op
     * on every backend: the network always saw float32 inputs, so the float64 reference trains on
     * exactly what a float32 backend does. The pixels and the plan's per-sample values reach a
     * device in one upload per call, a quarter of the bytes of the float batch; they are staged
     * outside the tensors, so the memory plan needs no extra buffer for them.
     *
     * @throws IllegalArgumentException naming the shape when out is not 4-D, disagrees with the
     *         plan's channels or holds fewer samples than it, or raw is too short
     */
    void augment(byte[] raw, Tensor out, AugmentPlan plan);

    // ---------------------------------------------------------------- sample-pair kernels (train-free metrics)

    /**
     * k[i][j] += the number of positions d at which samples i and j of {@code x} have the same
     * sign bit {@code [x[i,d] > 0]}, for x [N, ...] (D elements per sample) and k [N, N]: NASWOT's
     * Hamming kernel {@code N_A - hamming(c_i, c_j)} of the activation codes, one ReLU layer per
     * call, accumulated like a backward op. Zero, -0 and NaN all count as "not positive" (a caller
     * that must tell NaN apart checks for it separately). Every entry is an integer; a float32
     * backend holds it exactly while it stays below 2^24. {@code k} must not be {@code x}.
     */
    void signAgreement(Tensor x, Tensor k);

    /**
     * The Gram matrix of the samples of {@code a} [N, ...] (D elements per sample), returned as a
     * row-major float64 array of N * N: {@code G[i*N + j] = sum over d of a[i,d] * a[j,d]}. Every
     * backend forms the products and sums in float64 and returns them without rounding to its own
     * element type, because the NTK's condition number divides by G's smallest eigenvalue.
     * Waits for queued work, like {@link #dotPerSample}.
     */
    double[] gram(Tensor a);

    // ---------------------------------------------------------------- convolution

    /** y = conv(x, w); x [N,Cin,H,W], w [Cout,Cin/groups,k,k], y [N,Cout,H',W']; no bias. */
    void conv2d(Tensor x, Tensor w, Tensor y, ConvGeometry g);

    /** dx += conv2d gradient with respect to the input. */
    void conv2dBackwardData(Tensor dy, Tensor w, Tensor dx, ConvGeometry g);

    /** dw += conv2d gradient with respect to the weights. */
    void conv2dBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvGeometry g);

    // ---------------------------------------------------------------- batch normalisation

    /**
     * Training-mode BatchNorm over N,H,W per channel (biased batch variance for normalising):
     * y = gamma * (x - mean) * invStd + beta with invStd = 1 / sqrt(var + eps). Writes the batch
     * mean and invStd into {@code saveMean} / {@code saveInvStd} [C] for the backward pass and
     * updates the running statistics: run = (1 - momentum) * run + momentum * batch, using the
     * unbiased variance for {@code runVar} (PyTorch's convention).
     */
    void batchNormTrain(Tensor x, Tensor gamma, Tensor beta, Tensor y, Tensor saveMean, Tensor saveInvStd,
                        Tensor runMean, Tensor runVar, double momentum, double eps);

    /** Evaluation-mode BatchNorm with the running statistics. */
    void batchNormEval(Tensor x, Tensor gamma, Tensor beta, Tensor runMean, Tensor runVar, Tensor y, double eps);

    /** Backward of {@link #batchNormTrain}: dx += ..., dGamma += ..., dBeta += ... */
    void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
                           Tensor dx, Tensor dGamma, Tensor dBeta);

    // ---------------------------------------------------------------- pooling and resampling

    /** Max pooling; padding counts as minus infinity. */
    void maxPool(Tensor x, Tensor y, PoolGeometry g);

    /** dx += gradient of max pooling (ties: the first maximum in row-major window order wins). */
    void maxPoolBackward(Tensor x, Tensor dy, Tensor dx, PoolGeometry g);

    /** Average pooling that always divides by kernel*kernel (padded zeros count). */
    void avgPool(Tensor x, Tensor y, PoolGeometry g);

    /** dx += gradient of {@link #avgPool}. */
    void avgPoolBackward(Tensor dy, Tensor dx, PoolGeometry g);

    /** y = x[:, :, ::stride, ::stride]; y's spatial size is ceil(H / stride). */
    void subsample(Tensor x, Tensor y, int stride);

    /** dx[:, :, ::stride, ::stride] += dy. */
    void subsampleBackward(Tensor dy, Tensor dx, int stride);

    /** y [N,C] = mean over H,W of x [N,C,H,W]. */
    void globalAvgPool(Tensor x, Tensor y);

    /** dx += dy / (H*W) broadcast over H,W. */
    void globalAvgPoolBackward(Tensor dy, Tensor dx);

    // ---------------------------------------------------------------- dense head and loss

    /** y [N,M] = x [N,K] * w[M,K]^T + b [M]. */
    void linear(Tensor x, Tensor w, Tensor b, Tensor y);

    /** dx += dy * w; dw += dy^T * x; db += sum over N of dy. {@code dx} may be null. */
    void linearBackward(Tensor x, Tensor w, Tensor dy, Tensor dx, Tensor dw, Tensor db);

    /**
     * Softmax cross-entropy of {@code logits} [N,M] against {@code labels} [N] (class ids held as
     * element values, exact below 2^24): {@code loss[0] += scale * mean over n of
     * -log softmax(logits[n])[labels[n]]} (the sum formed in float64, rounded once when added) and
     * {@code dLogits += scale * (softmax(logits) - onehot(labels)) / N}. {@code loss} is a [1]
     * tensor the caller zeroes before a step's first head; nothing comes back to the host, so the
     * loss is read after the step. A host backend rejects a label that is not an integer in
     * [0, M) with an {@link IllegalArgumentException}; a device backend, which cannot look without
     * waiting, makes the loss NaN (callers check labels when they upload them).
     */
    void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dLogits, Tensor loss, double scale);

    // ---------------------------------------------------------------- optimiser

    /**
     * SGD with momentum and L2 weight decay, PyTorch's convention:
     * g = grad + weightDecay * param; velocity = momentum * velocity + g; param -= lr * velocity.
     */
    void sgdMomentum(Tensor param, Tensor grad, Tensor velocity, double lr, double momentum, double weightDecay);

    /**
     * {@link #sgdMomentum} for every triple ({@code params[i]}, {@code grads[i]}, {@code velocities[i]})
     * at once, with the same momentum and weight decay and the learning rate held in {@code rate}
     * (one element, read when the update runs): the result is the per-tensor update in list order
     * with {@code lr} = the rate's value. One call per training step, so a device backend can
     * update every parameter in one launch instead of one per tensor; and because the rate is
     * step data in a tensor rather than an argument, a step captured once
     * ({@link #capture}) replays with whatever rate was uploaded before it.
     *
     * <p>The lists must have the same length and no null entries; the three tensors of triple i
     * must have the same size (an {@link IllegalArgumentException} names the index and the
     * shapes), a tensor written (a param or velocity) must not appear in any other triple, and
     * {@code rate} must have one element and not be written by any triple. Sizes and sharing are
     * checked before anything is updated. Empty lists are a no-op. This default checks, reads the
     * rate ({@link #download}: a host backend's values, float64 or a float32 widened exactly), then
     * loops over {@link #sgdMomentum}, so it is bit-identical to that loop with the rate as
     * {@code lr}; a device backend overrides it to read the rate on the device.
     */
    default void sgdMomentumAll(java.util.List<Tensor> params, java.util.List<Tensor> grads,
                                java.util.List<Tensor> velocities, Tensor rate, double momentum, double weightDecay) {
        int n = SgdMomentumTriples.check("sgdMomentumAll", params, grads, velocities, rate);
        if (n == 0) {
            return;
        }
        double lr = download(rate)[0];
        for (int i = 0; i < n; i++) {
            sgdMomentum(params.get(i), grads.get(i), velocities.get(i), lr, momentum, weightDecay);
        }
    }

    // ---------------------------------------------------------------- captured steps

    /**
     * A step ({@code step}: a sequence of this backend's ops on tensors that stay allocated) that
     * {@link CapturedStep#replay()} performs again and again: a device backend records it once as
     * a graph of its kernels and then launches the graph, with no per-op host work. This default
     * (for host backends) simply runs {@code step} on every replay, which is the same numbers.
     *
     * <p>The step must be replayable: every op reads the data that changes between replays from
     * tensors (uploaded before the replay), never from host arrays or host-side branches that the
     * caller changes; it neither allocates, uploads, downloads nor synchronises. What the
     * step's ops depend on on the host (which layers run, scalar arguments) is fixed at capture,
     * so a caller re-captures when it changes. Close the step to release what it holds; replaying
     * a closed step is an {@link IllegalStateException}.
     */
    default CapturedStep capture(Runnable step) {
        return new CapturedStep.Rerun(step);
    }
}
