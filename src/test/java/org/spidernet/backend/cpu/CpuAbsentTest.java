package org.spidernet.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spidernet.backend.Backends;

/**
 * The engine's own classes without ND4J on the class path, as in the GPU bundle: provider
 * discovery still works and the cpu backend names the reason instead of a missing class.
 */
class CpuAbsentTest {
    private static final String REASON = "ND4J is not on the class path (the GPU bundle leaves it out)";

    /** A loader over the engine's compiled classes alone; the JDK comes from the platform loader. */
    private static URLClassLoader engineWithoutNd4j() {
        URL engine = Backends.class.getProtectionDomain().getCodeSource().getLocation();
        return new URLClassLoader(new URL[] {engine}, ClassLoader.getPlatformClassLoader());
    }

    @Test
    void theCpuBackendSaysNd4jIsMissing() throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // ServiceLoader.load(type) reads the context loader, as it does in a launched bundle
        try (URLClassLoader loader = engineWithoutNd4j()) {
            thread.setContextClassLoader(loader);
            assertNull(loader.getResource("org/nd4j/linalg/factory/Nd4j.class"), "ND4J leaked into the loader");
            Class<?> backends = loader.loadClass(Backends.class.getName());
            Class<?> providerType = loader.loadClass("org.spidernet.backend.BackendProvider");
            Method name = providerType.getMethod("name");
            List<?> providers = (List<?>) backends.getMethod("providers").invoke(null);
            List<Object> names = new java.util.ArrayList<>();
            Object cpu = null;
            for (Object p : providers) {
                names.add(name.invoke(p));
                if (name.invoke(p).equals("cpu")) {
                    cpu = p;
                }
            }
            // every provider class loads without ND4J and JavaCPP: none is an unloadable stand-in
            assertEquals(List.of("cuda", "cpu", "reference", "cuda-emulated"), names);
            Object availability = backends.getMethod("availability", providerType).invoke(null, cpu);
            Class<?> availabilityType = loader.loadClass("org.spidernet.backend.Availability");
            assertEquals(REASON, availabilityType.getMethod("detail").invoke(availability));
            assertEquals(false, availabilityType.getMethod("usable").invoke(availability));

            InvocationTargetException e = assertThrows(InvocationTargetException.class,
                    () -> backends.getMethod("resolve", String.class).invoke(null, "cpu"));
            assertEquals("org.spidernet.backend.BackendUnavailableException", e.getCause().getClass().getName());
            assertEquals("cpu backend unavailable: " + REASON, e.getCause().getMessage());
            // auto passes over it (and over cuda, whose JavaCPP is missing too) to the reference backend
            Object auto = backends.getMethod("resolve", String.class).invoke(null, "auto");
            assertEquals("reference", name.invoke(auto));
            assertInstanceOf(providerType, auto);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
