package org.spidernet.backend.cpu;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The layout in which the direct convolution and pooling kernels read image planes, chosen so
 * that every kernel tap becomes one long, contiguous, vectorisable loop.
 *
 * <p>An {@code height x width} plane is padded by {@code pad} on every side. With stride 1 it is
 * stored as one {@code (height + 2 pad) x (width + 2 pad)} row-major block. With stride s it is
 * split into s*s <i>phase planes</i>: phase (a, b) holds padded rows a, a+s, a+2s, ... and
 * columns b, b+s, ..., so that a strided window walk becomes a unit-stride walk inside one phase.
 * Several channels are stored one after another, each {@link #channelSize} long.
 *
 * <p>An output computed in this layout has {@link #phaseCols} columns per row, of which the
 * first {@code outWidth} are real and the rest are scratch values that are discarded (forward)
 * or multiplied by zero (backward). Tap (kh, kw) with dilation d reads the element at
 * {@code offset(channel, kh*d, kw*d) + j} for output position j = oh * phaseCols + ow.
 * Reads run at most {@code (kernel-1)*d/stride} elements past the last channel's block, which
 * {@link #bufferSize} provides for.
 */
final class PlaneLayout {
    final int height;
    final int width;
    final int pad;
    final int stride;
    final int phaseRows;
    final int phaseCols;
    final int phaseSize;
    final int channelSize;

    PlaneLayout(int height, int width, int pad, int stride) {
        if (pad < 0 || stride < 1) {
            throw new IllegalArgumentException("bad plane layout: pad=" + pad + " stride=" + stride);
        }
        this.height = height;
        this.width = width;
        this.pad = pad;
        this.stride = stride;
        this.phaseRows = ceilDiv(height + 2 * pad, stride);
        this.phaseCols = ceilDiv(width + 2 * pad, stride);
        this.phaseSize = phaseRows * phaseCols;
        this.channelSize = stride * stride * phaseSize;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /**
     * Elements needed for {@code channels} channels read with taps shifted by up to
     * {@code maxShift}, with loops running over a whole number of vectors ({@link TapKernels#span}).
     */
    int bufferSize(int channels, int maxShift) {
        return channels * channelSize + maxShift / stride + 1 + TapKernels.SLACK;
    }

    /** Where tap (rowShift, colShift) of {@code channel} starts, for output position 0. */
    int offset(int channel, int rowShift, int colShift) {
        int phase = (rowShift % stride) * stride + colShift % stride;
        return channel * channelSize + phase * phaseSize + (rowShift / stride) * phaseCols + colShift / stride;
    }

    /**
     * Tap offsets of a k x k kernel with dilation d over {@code channels} channels, in weight
     * order (channel, kh, kw), so that tap t multiplies weight element t of one output channel.
     */
    int[] taps(int channels, int kernel, int dilation) {
        int[] taps = new int[channels * kernel * kernel];
        int t = 0;
        for (int c = 0; c < channels; c++) {
            for (int kh = 0; kh < kernel; kh++) {
                for (int kw = 0; kw < kernel; kw++) {
                    taps[t++] = offset(c, kh * dilation, kw * dilation);
                }
            }
        }
        return taps;
    }

    /**
     * Loads {@code channels} consecutive planes starting at element {@code srcIndex} of
     * {@code src} into {@code dst} in this layout; every position that holds no input element
     * (padding, phase overhang, the tail) gets {@code padValue}. {@code source} holds one input
     * plane: each plane is read from the buffer in one bulk copy (a buffer read per row cost as
     * much as a 3x3 depthwise plane's arithmetic) and laid out from there.
     */
    void load(FloatBuffer src, int srcIndex, int channels, float padValue, int dstSize, float[] dst, float[] source) {
        int plane = height * width;
        if (stride == 1 && pad == 0) {
            // unpadded, unit stride: the layout is the input itself, plus the tail
            src.get(srcIndex, dst, 0, channels * plane);
            Arrays.fill(dst, channels * plane, dstSize, padValue);
            return;
        }
        Arrays.fill(dst, 0, dstSize, padValue);
        for (int c = 0; c < channels; c++) {
            src.get(srcIndex + c * plane, source, 0, plane);
            if (stride == 1) {
                int base = c * channelSize + pad * phaseCols + pad;
                for (int ih = 0; ih < height; ih++) {
                    System.arraycopy(source, ih * width, dst, base + ih * phaseCols, width);
                }
                continue;
            }
            for (int ih = 0; ih < height; ih++) {
                int r = ih + pad;
                int rowBase = c * channelSize + (r % stride) * stride * phaseSize + (r / stride) * phaseCols;
                int rowStart = ih * width;
                for (int b = 0; b < stride; b++) {
                    // the first input column landing in column phase b
                    int iw = Math.floorMod(b - pad, stride);
                    int at = rowBase + b * phaseSize + (iw + pad) / stride;
                    for (; iw < width; iw += stride) {
                        dst[at++] = source[rowStart + iw];
                    }
                }
            }
        }
    }

    /**
     * Loads {@code channels} consecutive rows x cols planes of {@code src} spread by {@code step}:
     * element (r, c) lands where frame element (r * step, c * step) of this stride-1 layout
     * goes, every other position is zero. {@code source} holds one source plane.
     */
    void loadSpread(FloatBuffer src, int srcIndex, int channels, int rows, int cols, int step, int dstSize, float[] dst,
                    float[] source) {
        if (stride != 1) {
            throw new IllegalStateException("spreading needs a stride-1 layout, this one has stride " + stride);
        }
        Arrays.fill(dst, 0, dstSize, 0f);
        int plane = rows * cols;
        for (int c = 0; c < channels; c++) {
            src.get(srcIndex + c * plane, source, 0, plane);
            spread(source, rows, cols, step, dst, c * channelSize + pad * phaseCols + pad, phaseCols);
        }
    }

    /**
     * Writes the rows x cols plane in {@code src} into {@code dst} with element (r, c) at
     * {@code at + r * step * pitch + c * step}, leaving every other position as it is.
     */
    static void spread(float[] src, int rows, int cols, int step, float[] dst, int at, int pitch) {
        for (int r = 0; r < rows; r++) {
            int row = at + r * step * pitch;
            for (int c = 0; c < cols; c++) {
                dst[row + c * step] = src[r * cols + c];
            }
        }
    }

    /**
     * The adjoint of {@link #load}: adds every element of {@code src} (this layout, e.g. a
     * gradient scattered by the kernels) that corresponds to an input position into the
     * {@code channels} planes of {@code dst} starting at {@code dstIndex}; padding is dropped.
     * {@code plane} holds one destination plane.
     */
    void addTo(float[] src, int channels, FloatBuffer dst, int dstIndex, float[] plane) {
        int size = height * width;
        for (int c = 0; c < channels; c++) {
            int at = dstIndex + c * size;
            dst.get(at, plane, 0, size);
            for (int ih = 0; ih < height; ih++) {
                int r = ih + pad;
                int rowBase = c * channelSize + (r % stride) * stride * phaseSize + (r / stride) * phaseCols;
                int out = ih * width;
                if (stride == 1) {
                    int in = rowBase + pad;
                    for (int iw = 0; iw < width; iw++) {
                        plane[out + iw] += src[in + iw];
                    }
                } else {
                    // column phase by column phase, as in load(), so no division per element
                    for (int b = 0; b < stride; b++) {
                        int iw = Math.floorMod(b - pad, stride);
                        int from = rowBase + b * phaseSize + (iw + pad) / stride;
                        for (; iw < width; iw += stride) {
                            plane[out + iw] += src[from++];
                        }
                    }
                }
            }
            dst.put(at, plane, 0, size);
        }
    }
}
