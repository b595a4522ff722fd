package org.spidernet.deploy.onnx;

import org.spidernet.backend.Backend;
import org.spidernet.backend.Backends;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.InitScheme;
import org.spidernet.exec.Network;
import org.spidernet.exec.PlanOptions;
import org.spidernet.graph.ir.Architecture;

import java.util.Map;
import java.util.Random;

/**
 * Networks on the float64 reference backend with non-trivial eval-mode state, so that an export
 * which ignored a running statistic, a BN scale or a mixing weight would show: BN gammas, betas
 * and running statistics drawn away from their initial 1, 0, 0, 1, alphas drawn from N(0, 1)
 * (a thousand times the engine's initial spread, so rows are far from uniform).
 */
final class EvalNetworks {
    /** Batch of the engine's forward pass; ONNX Runtime runs the same images. */
    static final int BATCH = 3;

    private EvalNetworks() {
    }

    static Network bind(Architecture a, PlanOptions options, Random r) {
        Backend backend = Backends.resolve("reference").open();
        Network net = Network.bind(ExecutionPlan.compile(a, BATCH, backend.bytesPerElement(), options), backend);
        net.initialize(r.nextLong(), InitScheme.FAN_IN);
        Map<String, double[]> state = net.exportState();
        for (Map.Entry<String, double[]> e : state.entrySet()) {
            double[] v = e.getValue();
            String name = e.getKey();
            for (int i = 0; i < v.length; i++) {
                if (name.endsWith(".gamma")) {
                    v[i] = 0.5 + r.nextDouble();
                } else if (name.endsWith(".beta") || name.endsWith(".running_mean")) {
                    v[i] = 0.5 * r.nextGaussian();
                } else if (name.endsWith(".running_var")) {
                    v[i] = 0.25 + 2 * r.nextDouble();
                } else if (name.startsWith("alpha/")) {
                    v[i] = r.nextGaussian();
                }
            }
        }
        net.importState(state);
        return net;
    }
}
