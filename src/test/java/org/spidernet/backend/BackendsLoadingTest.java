package org.spidernet.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Provider discovery survives plug-ins whose classes cannot load (the GPU bundle has no ND4J):
 * each becomes an unusable entry with its reason, and the others still load and resolve.
 */
class BackendsLoadingTest {
    private static final String SERVICE_FILE = "META-INF/services/" + BackendProvider.class.getName();

    @TempDir
    Path tmp;

    /** A ServiceLoader that sees only the given service file, with classes from the test class path. */
    private ServiceLoader<BackendProvider> loaderListing(String... providerClasses) throws IOException {
        Path services = tmp.resolve("services.txt");
        Files.writeString(services, String.join("\n", providerClasses) + "\n");
        URL url = services.toUri().toURL();
        ClassLoader isolated = new ClassLoader(getClass().getClassLoader()) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                return name.equals(SERVICE_FILE) ? Collections.enumeration(List.of(url)) : super.getResources(name);
            }
        };
        return ServiceLoader.load(BackendProvider.class, isolated);
    }

    @Test
    void unloadableProvidersAreListedWithTheirReasonAndTheRestStillLoad() throws IOException {
        List<BackendProvider> providers = Backends.providers(loaderListing(
                "org.spidernet.backend.NoSuchProvider",
                UnconstructibleProvider.class.getName(),
                "org.spidernet.backend.reference.ReferenceBackendProvider",
                BrokenLibraryProvider.class.getName(),
                BackendsLoadingTest.class.getName()));

        assertEquals(List.of("broken", "reference", "org.spidernet.backend.NoSuchProvider",
                UnconstructibleProvider.class.getName(), BackendsLoadingTest.class.getName()),
                providers.stream().map(BackendProvider::name).toList());
        assertTrue(providers.get(4).availability().detail().endsWith("not a subtype"), providers.get(4).availability().detail());
        Availability missing = providers.get(2).availability();
        assertFalse(missing.usable());
        assertTrue(missing.detail().startsWith("its classes cannot be loaded: ServiceConfigurationError")
                && missing.detail().contains("not found"), missing.detail());
        Availability unconstructible = providers.get(3).availability();
        assertFalse(unconstructible.usable());
        assertTrue(unconstructible.detail().contains("NoClassDefFoundError: org/nd4j/linalg/api/ndarray/INDArray"),
                unconstructible.detail());
        assertFalse(unconstructible.detail().contains("\n"));
        assertThrows(BackendUnavailableException.class, () -> providers.get(3).open());
    }

    @Test
    void aProviderWhoseProbeThrowsIsUnusableAndAutoSkipsIt() throws IOException {
        List<BackendProvider> providers = Backends.providers(loaderListing(
                BrokenLibraryProvider.class.getName(), "org.spidernet.backend.reference.ReferenceBackendProvider"));
        Availability broken = Backends.availability(providers.get(0));
        assertFalse(broken.usable());
        assertEquals("probe failed: NoClassDefFoundError: org/nd4j/linalg/factory/Nd4j", broken.detail());

        assertEquals("reference", Backends.resolve("auto", providers).name());
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> Backends.resolve("broken", providers));
        assertEquals("broken backend unavailable: probe failed: NoClassDefFoundError: org/nd4j/linalg/factory/Nd4j",
                e.getMessage());
    }
}
