package org.spidernet.search.fade;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * A trained region and what it says about its architectures: per stage the log-softmax of its
 * row of architecture weights ({@code logWeights[s][i]} for candidate i), and the supernet's
 * validation accuracy. The region's rank of an architecture is the product of its cells' weights,
 * summed here as logs ({@link #score}); only its order inside the region means anything.
 */
public record RegionResult(FadeRegion region, double[][] logWeights, double validationAccuracy) {

    public RegionResult {
        if (logWeights.length != region.skeleton().size()) {
            throw new IllegalArgumentException("region result: " + logWeights.length + " rows of weights for "
                    + region.skeleton().size() + " stages");
        }
        double[][] copy = new double[logWeights.length][];
        for (int s = 0; s < logWeights.length; s++) {
            if (logWeights[s].length != region.width()) {
                throw new IllegalArgumentException("region result: stage " + s + " has " + logWeights[s].length
                        + " weights for " + region.width() + " candidates");
            }
            copy[s] = logWeights[s].clone();
        }
        logWeights = copy;
    }

    /** Log-softmax of each row of raw architecture weights (rows x width, row-major). */
    public static double[][] logSoftmax(double[] alphas, int rows, int width) {
        double[][] out = new double[rows][width];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < width; i++) {
                max = Math.max(max, alphas[r * width + i]);
            }
            double sum = 0;
            for (int i = 0; i < width; i++) {
                sum += Math.exp(alphas[r * width + i] - max);
            }
            double log = max + Math.log(sum);
            for (int i = 0; i < width; i++) {
                out[r][i] = alphas[r * width + i] - log;
            }
        }
        return out;
    }

    /** The region's score of the architecture picking candidate {@code picks[s]} at stage s: sum of log weights. */
    public double score(int[] picks) {
        double sum = 0;
        for (int s = 0; s < picks.length; s++) {
            sum += logWeights[s][picks[s]];
        }
        return sum;
    }

    /** An architecture of the region with its score. */
    public record Ranked(int[] picks, double score) {
        public Ranked {
            picks = picks.clone();
        }

        @Override
        public int[] picks() {
            return picks.clone();
        }
    }

    /**
     * The region's {@code k} best architectures, best first (ties: smaller picks first), found
     * best-first without enumerating all N^S.
     */
    public List<Ranked> top(int k) {
        int stages = logWeights.length;
        int width = region.width();
        // per stage the candidates by falling weight; a state is a position in each order
        int[][] order = new int[stages][];
        for (int s = 0; s < stages; s++) {
            int st = s;
            order[s] = java.util.stream.IntStream.range(0, width).boxed()
                    .sorted(java.util.Comparator.comparingDouble((Integer i) -> -logWeights[st][i]).thenComparingInt(i -> i))
                    .mapToInt(Integer::intValue).toArray();
        }
        PriorityQueue<Ranked> queue = new PriorityQueue<>((a, b) -> a.score() != b.score() ? Double.compare(b.score(), a.score())
                : Arrays.compare(a.picks, b.picks));
        Set<List<Integer>> seen = new HashSet<>();
        int[] start = new int[stages];
        queue.add(positioned(order, start));
        seen.add(key(start));
        List<Ranked> out = new ArrayList<>();
        // positions are recovered from picks through the inverse orders
        int[][] position = new int[stages][width];
        for (int s = 0; s < stages; s++) {
            for (int p = 0; p < width; p++) {
                position[s][order[s][p]] = p;
            }
        }
        while (!queue.isEmpty() && out.size() < k) {
            Ranked r = queue.poll();
            out.add(r);
            int[] pos = new int[stages];
            for (int s = 0; s < stages; s++) {
                pos[s] = position[s][r.picks[s]];
            }
            for (int s = 0; s < stages; s++) {
                if (pos[s] + 1 < width) {
                    int[] next = pos.clone();
                    next[s]++;
                    if (seen.add(key(next))) {
                        queue.add(positioned(order, next));
                    }
                }
            }
        }
        return out;
    }

    /** The region's best architecture (the argmax per stage). */
    public int[] best() {
        return top(1).get(0).picks();
    }

    private Ranked positioned(int[][] order, int[] pos) {
        int[] picks = new int[pos.length];
        for (int s = 0; s < pos.length; s++) {
            picks[s] = order[s][pos[s]];
        }
        return new Ranked(picks, score(picks));
    }

    private static List<Integer> key(int[] pos) {
        return Arrays.stream(pos).boxed().toList();
    }

    @Override
    public double[][] logWeights() {
        double[][] copy = new double[logWeights.length][];
        for (int s = 0; s < logWeights.length; s++) {
            copy[s] = logWeights[s].clone();
        }
        return copy;
    }

    /** Log weight of candidate {@code i} of stage {@code s}. */
    public double logWeight(int s, int i) {
        return logWeights[s][i];
    }
}
