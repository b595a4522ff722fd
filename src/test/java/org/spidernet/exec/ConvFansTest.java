package org.spidernet.exec;

import org.junit.jupiter.api.Test;
import org.spidernet.graph.Genome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every conv weight's fans are PyTorch's ({@code torch.nn.init._calculate_fan_in_and_fan_out},
 * which {@code kaiming_normal_} reads): for a weight of shape [out, in/groups, k, k],
 * fan_in = shape[1] * k * k and fan_out = shape[0] * k * k, whatever the groups (issue 16). The
 * NTK's reference init is {@code kaiming_normal_(mode='fan_out')}, so a depthwise conv's
 * fan_out is C k^2, not k^2.
 */
class ConvFansTest {

    @Test
    void everyConvWeightHasPyTorchsFans() {
        int depthwise = 0;
        int checked = 0;
        for (Genome g : PlanFingerprint.genomes()) {
            for (PlanOptions o : PlanFingerprint.options()) {
                ExecutionPlan p = ExecutionPlan.compile(g, 2, 4, o);
                for (ParamSpec q : p.parameters()) {
                    if (q.init() != ParamInit.CONV_KAIMING) {
                        continue;
                    }
                    int[] shape = p.buffers.get(q.value()).shape();
                    assertEquals(4, shape.length, q.name());
                    int area = shape[2] * shape[3];
                    assertEquals(shape[1] * area, q.fanIn(), q.name() + " fan_in, shape " + java.util.Arrays.toString(shape));
                    assertEquals(shape[0] * area, q.fanOut(), q.name() + " fan_out, shape " + java.util.Arrays.toString(shape));
                    checked++;
                    if (shape[1] == 1 && shape[0] > 1 && area > 1 && q.name().contains("dw")) {
                        depthwise++;
                    }
                }
            }
        }
        assertTrue(checked > 100, "conv weights checked: " + checked);
        assertTrue(depthwise > 10, "depthwise weights among them (the case the rule is about): " + depthwise);
    }

    @Test
    void fanOutInitOfADepthwiseWeightHasPyTorchsStd() {
        // Kaiming normal, fan_out mode: std = sqrt(2 / (out * k^2)). 2,000-odd draws per weight
        // family: the sample std is within 10% of it (its relative sd is ~1/sqrt(2n) < 2%).
        Genome g = PlanFingerprint.genomes().get(1); // MNIST, C=8, R=2: depthwise weights of 8, 16, 32 channels
        ExecutionPlan p = ExecutionPlan.compile(g, 2, 8, PlanOptions.TRAINING);
        try (org.spidernet.backend.Backend be = org.spidernet.backend.Backends.resolve("reference").open();
             Network net = Network.bind(p, be)) {
            net.initialize(new java.util.Random().nextLong(), InitScheme.FAN_OUT);
            java.util.Map<String, double[]> state = net.exportState();
            java.util.Map<Integer, double[]> sums = new java.util.TreeMap<>(); // fan_out -> {n, sum x^2}
            for (ParamSpec q : p.parameters()) {
                int[] shape = p.buffers.get(q.value()).shape();
                if (q.init() == ParamInit.CONV_KAIMING && shape[1] == 1 && shape[0] > 1) {
                    double[] v = state.get(q.name());
                    double[] acc = sums.computeIfAbsent(q.fanOut(), k -> new double[2]);
                    for (double x : v) {
                        acc[0]++;
                        acc[1] += x * x;
                    }
                }
            }
            assertTrue(sums.size() >= 2, "depthwise fan_out groups: " + sums.keySet());
            for (var e : sums.entrySet()) {
                double std = Math.sqrt(e.getValue()[1] / e.getValue()[0]);
                double expected = Math.sqrt(2.0 / e.getKey());
                assertEquals(expected, std, 0.1 * expected, "fan_out " + e.getKey() + " over " + e.getValue()[0] + " weights");
            }
        }
    }
}
