package org.spidernet.backend;

/**
 * The input pipeline of a {@link Backend}: raw pixels to a normalised, augmented batch.
 * Part of the {@link Backend} SPI; see there for the conventions every op follows.
 */
public interface AugmentOps {

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
}
