package org.spidernet.metrics;

import org.junit.jupiter.api.Test;
import org.spidernet.backend.Backend;
import org.spidernet.backend.Tensor;
import org.spidernet.backend.reference.ReferenceBackend;
import org.spidernet.graph.Genome;
import org.spidernet.graph.OpType;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A network whose numbers go non-finite yields a typed result, never an exception and never 0:
 * every convolution's output is overwritten with NaN, or with +infinity, by a backend wrapper.
 * NTK's NaN becomes SpiderNet's 1e5 with the raw NaN kept; every other metric fails.
 */
class NonFiniteScoresTest {

    /** The reference backend, with every conv2d output replaced by {@code poison}. */
    private static Backend poisoned(ReferenceBackend real, double poison) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[]{Backend.class},
                (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("conv2d")) {
                        real.fill((Tensor) args[2], poison);
                    }
                    return result;
                });
    }

    private static List<TrainFreeMetric> networkMetrics() {
        return List.of(new NtkConditionNumber(2, 2, 3, false), new NtkConditionNumber(2, 2, 3, true),
                new LinearRegionCount(2, 8), new JacobianCovariance(0, 4), new HammingLogDet(0, 4), new Synflow(),
                new Snip(0, 4), new GradNorm(0, 4));
    }

    @Test
    void nanActivations() {
        check(Double.NaN);
    }

    @Test
    void infiniteActivations() {
        check(Double.POSITIVE_INFINITY);
    }

    private static void check(double poison) {
        try (ReferenceBackend real = new ReferenceBackend()) {
            Genome genome = Fixtures.grown(Fixtures.INPUT, 2, List.of(OpType.SEP_CONV_3X3, OpType.IDENTITY));
            ScoringContext ctx = ScoringContext.of(poisoned(real, poison), genome, 5, Fixtures.images(Fixtures.INPUT, 10, 5));
            for (TrainFreeMetric m : networkMetrics()) {
                MetricResult r = m.score(ctx);
                String where = m.name() + " with conv outputs " + poison + ": " + r;
                assertEquals(m.name(), r.metric());
                if (m instanceof NtkConditionNumber && r.status() == MetricResult.Status.SUBSTITUTED) {
                    assertEquals(NtkConditionNumber.NAN_SUBSTITUTE, r.value(), where);
                    assertTrue(Double.isNaN(r.raw()), where);
                } else {
                    assertEquals(MetricResult.Status.NON_FINITE, r.status(), where);
                    assertFalse(r.usable(), where);
                    assertTrue(Double.isNaN(r.value()), where);
                    assertFalse(r.detail().isEmpty(), where);
                }
            }
        }
    }

    @Test
    void resultInvariants() {
        assertEquals(MetricResult.Status.NON_FINITE, MetricResult.of("x", Double.POSITIVE_INFINITY, "why").status());
        assertEquals(Double.POSITIVE_INFINITY, MetricResult.of("x", Double.POSITIVE_INFINITY, "why").raw());
        assertTrue(MetricResult.of("x", 2.5, "").usable());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new MetricResult("x", MetricResult.Status.OK, Double.NaN, Double.NaN, ""));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new MetricResult("x", MetricResult.Status.NON_FINITE, 0.0, Double.NaN, "zero is not a failure"));
    }
}
