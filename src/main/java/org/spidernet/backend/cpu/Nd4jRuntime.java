package org.spidernet.backend.cpu;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.spidernet.backend.Availability;

/**
 * Loads and configures ND4J's native CPU backend once per JVM and reports whether it works.
 * Loading can fail in many ways (missing native libraries, an unsupported CPU, a JavaCPP
 * mismatch), and each surfaces as some Throwable; all are turned into an unusable
 * {@link Availability} with the reason.
 */
final class Nd4jRuntime {
    private static Availability availability;

    private Nd4jRuntime() {
    }

    static synchronized Availability availability() {
        if (availability == null) {
            availability = load();
        }
        return availability;
    }

    private static Availability load() {
        try {
            Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
            // ND4J can call System.gc() periodically to release native memory; tensors here are closed explicitly
            Nd4j.getMemoryManager().togglePeriodicGc(false);
            // one native op end to end, so a library that loads but cannot run is caught here
            INDArray probe = Nd4j.create(new float[] {1f, -2f, 3f}, new long[] {3}, DataType.FLOAT);
            double sum = probe.sumNumber().doubleValue();
            probe.close();
            if (sum != 2.0) {
                return Availability.unusable("ND4J native CPU backend computed a wrong probe sum: " + sum);
            }
            return Availability.usable("ND4J " + Nd4j.getBackend().getClass().getSimpleName() + ", float32, "
                    + Runtime.getRuntime().availableProcessors() + " threads");
        } catch (Throwable t) {
            return Availability.unusable("ND4J native CPU backend failed to load: " + describe(t));
        }
    }

    /**
     * The throwable and its causes on one line. Native loading fails inside static initialisers,
     * so the top is usually a bare ExceptionInInitializerError and the reason is further down
     * (an UnsatisfiedLinkError naming the missing library, for instance).
     */
    static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        int depth = 0;
        for (Throwable c = t; c != null && depth < 8; c = c.getCause() == c ? null : c.getCause(), depth++) {
            if (sb.length() > 0) {
                sb.append(" <- caused by ");
            }
            sb.append(c.getClass().getName());
            if (c.getMessage() != null) {
                sb.append(": ").append(c.getMessage().strip().replace('\n', ' '));
            }
        }
        return sb.toString();
    }
}
