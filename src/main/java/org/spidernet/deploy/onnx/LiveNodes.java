package org.spidernet.deploy.onnx;

import org.spidernet.graph.ir.Architecture;
import org.spidernet.graph.ir.Node;

import java.util.List;

/**
 * Dead-node elimination for export: the nodes the network's prediction (its last head) still
 * depends on once closed gates and zero mixing factors are folded away. A pruned op, an
 * auxiliary head and everything only they read are not live, so none of their weights is written.
 */
final class LiveNodes {
    private LiveNodes() {
    }

    /**
     * @param terms per node, its sum's eval-mode terms ({@link MergeTerms#of}), or null where the
     *              node reads all its inputs
     * @return per node id, whether the last head depends on it
     */
    static boolean[] of(Architecture a, List<List<MergeTerms.Term>> terms) {
        boolean[] live = new boolean[a.nodes().size()];
        live[a.heads().get(a.heads().size() - 1).node()] = true;
        // inputs always have smaller ids, so one backward sweep sees every reader before its inputs
        for (int i = live.length - 1; i > 0; i--) {
            if (!live[i]) {
                continue;
            }
            Node n = a.node(i);
            if (terms.get(i) != null) {
                for (MergeTerms.Term t : terms.get(i)) {
                    live[t.input()] = true;
                }
            } else {
                for (int in : n.inputs()) {
                    live[in] = true;
                }
            }
        }
        // the image is the graph's input whatever reads it
        live[0] = true;
        return live;
    }
}
