package org.spidernet.deploy;

import org.spidernet.data.ChannelStats;
import org.spidernet.data.ImageDataset;
import org.spidernet.exec.Network;
import org.spidernet.train.EvaluationPass;
import org.spidernet.train.Logits;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The top classes a trained network gives each image: run in evaluation mode through the same
 * {@link EvaluationPass} as {@code evaluate}, ranked by logit (highest first, the lower index first
 * among equal ones, so rank 1 is always {@link Logits#argmax}, the class {@code evaluate}
 * counts), with the softmax probability of each.
 */
public final class Predictor {
    private Predictor() {
    }

    /** The top {@code k} classes of every image of {@code images} (labels unused), in order. */
    public static List<List<ClassScore>> topK(Network net, ImageDataset images, ChannelStats stats,
                                              List<String> classNames, int k) {
        int classes = net.plan().classes();
        checkK(k, classes);
        List<List<ClassScore>> out = new ArrayList<>(images.count());
        EvaluationPass.run(net, images, stats, (first, n, logits) -> {
            for (int i = 0; i < n; i++) {
                out.add(topK(logits, i, classes, k, classNames));
            }
        });
        return out;
    }

    /** The top {@code k} classes of row {@code row} of {@code logits} ({@code classes} per row). */
    public static List<ClassScore> topK(double[] logits, int row, int classes, int k, List<String> classNames) {
        checkK(k, classes);
        double[] p = Logits.softmax(logits, row, classes);
        int base = row * classes;
        Integer[] order = new Integer[classes];
        Arrays.setAll(order, i -> i);
        // primitive comparisons as in argmax (so 0.0 and -0.0 are equal), and a stable sort: equal
        // logits keep index order, as argmax breaks ties
        Arrays.sort(order, (a, b) -> logits[base + a] > logits[base + b] ? -1 : logits[base + a] < logits[base + b] ? 1 : 0);
        List<ClassScore> top = new ArrayList<>(k);
        for (int r = 0; r < k; r++) {
            int c = order[r];
            top.add(new ClassScore(c, classNames.get(c), p[c]));
        }
        return top;
    }

    private static void checkK(int k, int classes) {
        if (k < 1 || k > classes) {
            throw new IllegalArgumentException("top k must be in 1.." + classes + ", got " + k);
        }
    }
}
