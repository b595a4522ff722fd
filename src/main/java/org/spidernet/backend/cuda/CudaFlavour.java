package org.spidernet.backend.cuda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.bytedeco.javacpp.Loader;

/**
 * Which build of {@code libspidernet_cuda.so} a JVM loads: the GPU one (nvcc) or the emulated
 * device's (native/emulator: the same kernel sources with every GPU thread a CPU fiber, checked by
 * the emulator's detectors). Both have the same C API and soname, so the JNI glue binds to
 * whichever is loaded first; one JVM holds one of them. Chosen once per JVM by the system property
 * {@value #PROPERTY}: {@code gpu}, {@code emulated}, or {@code auto} (the default: the GPU library
 * where an NVIDIA driver is present, else the emulated device).
 */
enum CudaFlavour {
    GPU(""),
    EMULATED("emulated/");

    static final String PROPERTY = "spidernet.cuda.device";

    private final String directory;

    CudaFlavour(String directory) {
        this.directory = directory;
    }

    /** The library's resource path beside this class ({@code linux-x86_64/emulated/libspidernet_cuda.so}). */
    String resource() {
        return CudaProbe.PLATFORM + "/" + directory + "libspidernet_cuda.so";
    }

    /** Whether scripts/build-native produced this flavour for the running build. */
    boolean built() {
        return CudaFlavour.class.getResource(resource()) != null;
    }

    /** The flavour to load, or (flavour null) the reason none can be. */
    record Choice(CudaFlavour flavour, String reason) {
    }

    /** The choice for this JVM, from the property, the built libraries and the machine. */
    static Choice forThisJvm() {
        return choose(System.getProperty(PROPERTY, "auto"), driverPresent(), GPU.built(), EMULATED.built());
    }

    static Choice choose(String wanted, boolean driverPresent, boolean gpuBuilt, boolean emulatedBuilt) {
        String want = wanted.strip().toLowerCase(Locale.ROOT);
        switch (want) {
            case "gpu":
                return gpuBuilt ? new Choice(GPU, null)
                        : new Choice(null, "the GPU library was not built (nvcc was missing at build time), and "
                        + PROPERTY + "=gpu asks for it");
            case "emulated":
                return emulatedBuilt ? new Choice(EMULATED, null)
                        : new Choice(null, "the emulated device's library was not built, and " + PROPERTY
                        + "=emulated asks for it");
            case "auto":
                if (gpuBuilt && (driverPresent || !emulatedBuilt)) {
                    return new Choice(GPU, null);  // without a driver the probe then says so
                }
                return emulatedBuilt ? new Choice(EMULATED, null)
                        : new Choice(null, "neither the GPU nor the emulated library was built");
            default:
                return new Choice(null, PROPERTY + " must be auto, gpu or emulated, not '" + wanted + "'");
        }
    }

    /** The flavour this JVM loaded, or null before {@link #loadForThisJvm}. */
    private static CudaFlavour loaded;

    /**
     * Loads the chosen flavour's library (once per JVM): {@link CudaNative}'s initialiser calls
     * this before it loads the JNI glue, which then binds to the loaded library by its soname.
     * Throws {@link UnsatisfiedLinkError} with the reason when no flavour can be loaded.
     */
    static synchronized CudaFlavour loadForThisJvm() {
        if (loaded == null) {
            Choice choice = forThisJvm();
            if (choice.flavour() == null) {
                throw new UnsatisfiedLinkError(choice.reason());
            }
            try {
                System.load(Loader.cacheResource(CudaFlavour.class, choice.flavour().resource()).getAbsolutePath());
            } catch (IOException e) {
                throw new UnsatisfiedLinkError("cannot extract " + choice.flavour().resource() + ": " + e.getMessage());
            }
            loaded = choice.flavour();
        }
        return loaded;
    }

    /** The NVIDIA kernel driver's traces: its procfs entry or its control device. */
    static boolean driverPresent() {
        return Files.exists(Path.of("/proc/driver/nvidia/version")) || Files.exists(Path.of("/dev/nvidiactl"));
    }
}
