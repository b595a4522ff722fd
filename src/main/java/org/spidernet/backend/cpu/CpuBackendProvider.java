package org.spidernet.backend.cpu;

import org.spidernet.backend.Availability;
import org.spidernet.backend.Backend;
import org.spidernet.backend.BackendProvider;
import org.spidernet.backend.BackendUnavailableException;

/**
 * Registers the float32 CPU backend built on ND4J under the name {@code cpu}. It ranks above
 * the reference backend and below a GPU backend, so {@code auto} picks it on a machine without
 * a usable GPU. Construction touches nothing native; ND4J is loaded on the first
 * {@link #availability()} call.
 */
public final class CpuBackendProvider implements BackendProvider {

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int rank() {
        return 10;
    }

    @Override
    public Availability availability() {
        if (!nd4jOnClassPath()) {
            // scripts/bundle leaves ND4J out of the GPU bundle; name that, not a missing class
            return Availability.unusable("ND4J is not on the class path (the GPU bundle leaves it out)");
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            // TapKernels would fail with NoClassDefFoundError in the middle of a step
            return Availability.unusable("the JVM was started without --add-modules jdk.incubator.vector "
                    + "(the cpu backend's convolution kernels use the JDK's vector API)");
        }
        try {
            return Nd4jRuntime.availability();
        } catch (Throwable t) {
            // e.g. NoClassDefFoundError when the ND4J jars are not on the class path at all
            return Availability.unusable("ND4J is not available: " + Nd4jRuntime.describe(t));
        }
    }

    private static boolean nd4jOnClassPath() {
        ClassLoader loader = CpuBackendProvider.class.getClassLoader();
        if (loader == null) {
            loader = ClassLoader.getSystemClassLoader();
        }
        return loader.getResource("org/nd4j/linalg/factory/Nd4j.class") != null;
    }

    @Override
    public Backend open() {
        Availability a = availability();
        if (!a.usable()) {
            throw new BackendUnavailableException("cpu backend unavailable: " + a.detail());
        }
        return new CpuBackend();
    }

    @Override
    public Backend open(long capacityBytes) {
        Availability a = availability();
        if (!a.usable()) {
            throw new BackendUnavailableException("cpu backend unavailable: " + a.detail());
        }
        return new CpuBackend(Runtime.getRuntime().availableProcessors(), capacityBytes);
    }
}
