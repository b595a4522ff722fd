package org.spidernet.backend.reference;

import org.spidernet.graph.ir.PoolGeometry;

/**
 * Spatial pooling and resampling on NCHW float64 arrays. Every (n, c) plane is handled
 * independently, so the arrays are viewed as {@code planes} consecutive H x W images.
 */
final class Pooling {
    private Pooling() {
    }

    /** Max pooling; positions in the padding are minus infinity, so they never win. */
    static void max(int planes, int h, int w, int outH, int outW, PoolGeometry g, double[] x, double[] y) {
        for (int p = 0; p < planes; p++) {
            for (int oh = 0; oh < outH; oh++) {
                for (int ow = 0; ow < outW; ow++) {
                    y[(p * outH + oh) * outW + ow] = x[argMax(p, h, w, oh, ow, g, x)];
                }
            }
        }
    }

    /** dx += dy routed to the element that won the forward maximum. */
    static void maxBackward(int planes, int h, int w, int outH, int outW, PoolGeometry g, double[] x, double[] dy,
                            double[] dx) {
        for (int p = 0; p < planes; p++) {
            for (int oh = 0; oh < outH; oh++) {
                for (int ow = 0; ow < outW; ow++) {
                    dx[argMax(p, h, w, oh, ow, g, x)] += dy[(p * outH + oh) * outW + ow];
                }
            }
        }
    }

    /**
     * Flat index of the maximum of one window, scanning rows then columns and replacing the
     * best only on a strictly greater value, so ties go to the first maximum in row-major order.
     * Every window holds at least one real element because the geometry has 2*padding <= kernel.
     */
    private static int argMax(int p, int h, int w, int oh, int ow, PoolGeometry g, double[] x) {
        int best = -1;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int kh = 0; kh < g.kernel(); kh++) {
            int ih = oh * g.stride() - g.padding() + kh;
            if (ih < 0 || ih >= h) {
                continue;
            }
            for (int kw = 0; kw < g.kernel(); kw++) {
                int iw = ow * g.stride() - g.padding() + kw;
                if (iw < 0 || iw >= w) {
                    continue;
                }
                int i = (p * h + ih) * w + iw;
                if (best < 0 || x[i] > bestValue) {
                    best = i;
                    bestValue = x[i];
                }
            }
        }
        return best;
    }

    /** Average pooling; the divisor is always kernel*kernel (padded zeros count). */
    static void avg(int planes, int h, int w, int outH, int outW, PoolGeometry g, double[] x, double[] y) {
        double divisor = (double) g.kernel() * g.kernel();
        for (int p = 0; p < planes; p++) {
            for (int oh = 0; oh < outH; oh++) {
                for (int ow = 0; ow < outW; ow++) {
                    double sum = 0;
                    for (int kh = 0; kh < g.kernel(); kh++) {
                        int ih = oh * g.stride() - g.padding() + kh;
                        for (int kw = 0; kw < g.kernel(); kw++) {
                            int iw = ow * g.stride() - g.padding() + kw;
                            if (ih >= 0 && ih < h && iw >= 0 && iw < w) {
                                sum += x[(p * h + ih) * w + iw];
                            }
                        }
                    }
                    y[(p * outH + oh) * outW + ow] = sum / divisor;
                }
            }
        }
    }

    /** dx += dy / (kernel*kernel) spread over each window's real elements. */
    static void avgBackward(int planes, int h, int w, int outH, int outW, PoolGeometry g, double[] dy, double[] dx) {
        double divisor = (double) g.kernel() * g.kernel();
        for (int p = 0; p < planes; p++) {
            for (int oh = 0; oh < outH; oh++) {
                for (int ow = 0; ow < outW; ow++) {
                    double share = dy[(p * outH + oh) * outW + ow] / divisor;
                    for (int kh = 0; kh < g.kernel(); kh++) {
                        int ih = oh * g.stride() - g.padding() + kh;
                        for (int kw = 0; kw < g.kernel(); kw++) {
                            int iw = ow * g.stride() - g.padding() + kw;
                            if (ih >= 0 && ih < h && iw >= 0 && iw < w) {
                                dx[(p * h + ih) * w + iw] += share;
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * y = x[:, :, offset::stride, offset::stride], with outH = ceil(h / stride), outW = ceil(w / stride);
     * an output whose input row or column is past the edge (possible when offset > 0) is 0.
     */
    static void subsample(int planes, int h, int w, int outH, int outW, int stride, int offset, double[] x,
                          double[] y) {
        for (int p = 0; p < planes; p++) {
            for (int oh = 0; oh < outH; oh++) {
                int ih = oh * stride + offset;
                for (int ow = 0; ow < outW; ow++) {
                    int iw = ow * stride + offset;
                    y[(p * outH + oh) * outW + ow] = ih < h && iw < w ? x[(p * h + ih) * w + iw] : 0;
                }
            }
        }
    }

    /** dx[:, :, offset::stride, offset::stride] += dy; the skipped positions get no gradient, nor do outputs past the edge give any. */
    static void subsampleBackward(int planes, int h, int w, int outH, int outW, int stride, int offset, double[] dy,
                                  double[] dx) {
        for (int p = 0; p < planes; p++) {
            for (int oh = 0; oh < outH; oh++) {
                int ih = oh * stride + offset;
                for (int ow = 0; ow < outW; ow++) {
                    int iw = ow * stride + offset;
                    if (ih < h && iw < w) {
                        dx[(p * h + ih) * w + iw] += dy[(p * outH + oh) * outW + ow];
                    }
                }
            }
        }
    }

    /** y[p] = mean of plane p. */
    static void globalAvg(int planes, int plane, double[] x, double[] y) {
        for (int p = 0; p < planes; p++) {
            double sum = 0;
            for (int s = 0; s < plane; s++) {
                sum += x[p * plane + s];
            }
            y[p] = sum / plane;
        }
    }

    /** dx[p, :] += dy[p] / plane. */
    static void globalAvgBackward(int planes, int plane, double[] dy, double[] dx) {
        for (int p = 0; p < planes; p++) {
            double share = dy[p] / plane;
            for (int s = 0; s < plane; s++) {
                dx[p * plane + s] += share;
            }
        }
    }
}
