package org.spidernet.exec;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.spidernet.backend.Backend;

/**
 * What the tests of the fused gated sums share: a backend whose fused calls run as the SPI's
 * default defines them (the per-op calls the engine made before), and the same training step begun
 * on twin networks.
 */
public final class GatedSumTwins {
    private GatedSumTwins() {
    }

    /**
     * {@code real} with every call counted by name into {@code calls} (unless null); when
     * {@code perOp}, {@code gatedSum} and {@code gatedSumBackward} run as the SPI's default, through
     * this proxy, so their per-op calls reach {@code real} (and are counted) one by one.
     */
    public static Backend proxy(Backend real, boolean perOp, Map<String, Integer> calls) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (calls != null) {
                calls.merge(method.getName(), 1, Integer::sum);
            }
            if (perOp && (method.getName().equals("gatedSum") || method.getName().equals("gatedSumBackward"))) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, handler);
    }

    /** The same random input, labels and drop-path masks (drawn from {@code r}) on every net, each beginning a training step. */
    public static void beginSameStep(Random r, int batch, int classes, double dropPath, Network... nets) {
        float[] x = new float[(int) nets[0].input().size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = r.nextInt(classes);
        }
        long masks = r.nextLong();
        for (Network n : List.of(nets)) {
            n.backend().upload(n.input(), x);
            n.beginStep(true, dropPath, new Random(masks), labels);
        }
    }
}
