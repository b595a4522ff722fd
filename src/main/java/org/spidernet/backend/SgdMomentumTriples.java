package org.spidernet.backend;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The argument rules of {@link Backend#sgdMomentumAll}, shared by every backend so they all refuse
 * the same calls with the same messages.
 */
public final class SgdMomentumTriples {
    private SgdMomentumTriples() {
    }

    /**
     * Checks the (param, grad, velocity) triples and the learning-rate tensor and returns the
     * triples' count: equal list lengths, no null entries, equal sizes within each triple, no
     * written tensor (param or velocity) shared with another triple, and a rate of one element
     * that no triple writes. The last two rules are what make a fused update, which runs every
     * triple at once, equal to the per-tensor loop in list order.
     *
     * @throws IllegalArgumentException naming the index and the shapes of the offending triple, or the rate
     */
    public static int check(String op, List<Tensor> params, List<Tensor> grads, List<Tensor> velocities,
                            Tensor rate) {
        Objects.requireNonNull(rate, () -> op + ": rate is null");
        if (rate.size() != 1) {
            throw new IllegalArgumentException(op + ": rate has shape " + Arrays.toString(rate.shape())
                    + ", expected one element");
        }
        Objects.requireNonNull(params, () -> op + ": params is null");
        Objects.requireNonNull(grads, () -> op + ": grads is null");
        Objects.requireNonNull(velocities, () -> op + ": velocities is null");
        int n = params.size();
        if (grads.size() != n || velocities.size() != n) {
            throw new IllegalArgumentException(op + ": " + n + " params, " + grads.size() + " grads and "
                    + velocities.size() + " velocities; the lists must have the same length");
        }
        // the triple each tensor belongs to, to find a written tensor that another triple also uses
        Map<Tensor, Integer> owner = new IdentityHashMap<>(4 * n);
        for (int i = 0; i < n; i++) {
            Tensor p = entry(op, "params", params, i);
            Tensor g = entry(op, "grads", grads, i);
            Tensor v = entry(op, "velocities", velocities, i);
            if (p.size() != g.size() || p.size() != v.size()) {
                throw new IllegalArgumentException(op + ": triple " + i + " has param " + Arrays.toString(p.shape())
                        + ", grad " + Arrays.toString(g.shape()) + " and velocity " + Arrays.toString(v.shape())
                        + "; all three must have the same size");
            }
            for (Tensor t : new Tensor[] {p, g, v}) {
                Integer earlier = owner.putIfAbsent(t, i);
                boolean writtenHere = t == p || t == v;
                if (earlier != null && earlier != i && (writtenHere || isWritten(t, params, velocities, earlier))) {
                    throw new IllegalArgumentException(op + ": tensor " + Arrays.toString(t.shape()) + " of triple " + i
                            + " is also in triple " + earlier + ", and one of them updates it");
                }
            }
        }
        Integer writer = owner.get(rate);
        if (writer != null && isWritten(rate, params, velocities, writer)) {
            throw new IllegalArgumentException(op + ": rate is updated by triple " + writer
                    + "; it must not be a param or velocity");
        }
        return n;
    }

    private static boolean isWritten(Tensor t, List<Tensor> params, List<Tensor> velocities, int index) {
        return params.get(index) == t || velocities.get(index) == t;
    }

    private static Tensor entry(String op, String list, List<Tensor> tensors, int i) {
        Tensor t = tensors.get(i);
        if (t == null) {
            throw new IllegalArgumentException(op + ": " + list + "[" + i + "] is null");
        }
        return t;
    }
}
