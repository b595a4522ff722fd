package org.spidernet.backend.reference;

import org.spidernet.backend.ConcatShapes;

/**
 * Channel concatenation on NCHW float64 arrays: block j of each sample of the concatenated tensor
 * is the whole sample of input j, one contiguous run of channels(j) * plane elements.
 */
final class Concat {
    private Concat() {
    }

    /** y's channel block j = x (one input of the concatenation). */
    static void forwardBlock(ConcatShapes e, int j, double[] x, double[] y) {
        int run = e.channels(j) * e.plane();
        int sample = e.totalChannels() * e.plane();
        int at = e.offset(j) * e.plane();
        for (int n = 0; n < e.batch(); n++) {
            for (int i = 0; i < run; i++) {
                y[n * sample + at + i] = x[n * run + i];
            }
        }
    }

    /** dx += dy's channel block j. */
    static void backwardBlock(ConcatShapes e, int j, double[] dy, double[] dx) {
        int run = e.channels(j) * e.plane();
        int sample = e.totalChannels() * e.plane();
        int at = e.offset(j) * e.plane();
        for (int n = 0; n < e.batch(); n++) {
            for (int i = 0; i < run; i++) {
                dx[n * run + i] += dy[n * sample + at + i];
            }
        }
    }
}
