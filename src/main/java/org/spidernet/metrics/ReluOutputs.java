package org.spidernet.metrics;

import org.spidernet.backend.Tensor;
import org.spidernet.exec.BufferKind;
import org.spidernet.exec.BufferSpec;
import org.spidernet.exec.Network;

import java.util.ArrayList;
import java.util.List;

/**
 * The output tensors of every ReLU of a bound network, found in its memory plan: the activations
 * the plan names {@code <op>.relu}. Their signs are the activation codes: {@code max(x, 0) > 0}
 * exactly when {@code x > 0}, and every backend's ReLU keeps a NaN input NaN. The metrics use these
 * device tensors directly, so the sign-pattern kernels run where the data lives instead of
 * downloading every ReLU input ({@code Network.reluInputs()}).
 *
 * <p>{@code exec} exposes no list of ReLU buffers, only the plan's buffer names, so this relies on
 * its naming; the unit count is checked against {@code ExecutionPlan.reluUnitsPerSample()} on
 * every call, so a renamed buffer fails loudly instead of dropping units from a score.
 */
final class ReluOutputs {
    static final String SUFFIX = ".relu";

    private ReluOutputs() {
    }

    static List<Tensor> of(Network net) {
        List<Tensor> out = new ArrayList<>();
        long units = 0;
        int batch = net.plan().batchSize();
        for (BufferSpec b : net.plan().memoryPlan().buffers()) {
            if (b.kind() == BufferKind.ACTIVATION && b.name().endsWith(SUFFIX)) {
                out.add(net.tensor(b.id()));
                units += b.elements() / batch;
            }
        }
        long expected = net.plan().reluUnitsPerSample();
        if (units != expected) {
            throw new IllegalStateException("found " + units + " ReLU output units per sample in the plan's '*" + SUFFIX
                    + "' buffers, the plan has " + expected + ": the plan's buffer naming changed");
        }
        return out;
    }
}
