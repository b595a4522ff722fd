package org.spidernet.backend.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.Loader;
import org.spidernet.backend.Availability;

/**
 * Finds out, once per JVM, whether this machine can run the CUDA kernels: native library built and
 * loadable, NVIDIA driver present and new enough, at least one device of compute capability 8.0 or
 * newer. Every failure becomes a one-line reason; nothing escapes as an exception, because a
 * missing GPU is the normal case on most machines.
 */
final class CudaProbe {

    /**
     * What the probe found. {@code devices} lists every device, supported or not; {@code emulated}
     * says the loaded library runs the kernels on the emulated device (see {@link CudaFlavour}).
     */
    record Result(Availability availability, List<CudaDeviceInfo> devices, int driverVersion, int runtimeVersion,
                  boolean emulated) {
        Result(Availability availability, List<CudaDeviceInfo> devices, int driverVersion, int runtimeVersion) {
            this(availability, devices, driverVersion, runtimeVersion, false);
        }
    }

    /** The emulated device's memory in bytes when set (else the library's default, 4 GiB). */
    static final String EMULATED_MEMORY_PROPERTY = "spidernet.cuda.emulated.memory";

    static final String PLATFORM = "linux-x86_64";
    /** Written by scripts/build-native next to this class: "built: ..." or "not built: REASON". */
    static final String BUILD_RECORD = "native-build.txt";

    private static final int CUDA_ERROR_INSUFFICIENT_DRIVER = 35;
    private static final int CUDA_ERROR_NO_DEVICE = 100;

    private CudaProbe() {
    }

    private static final class Once {
        static final Result RESULT = probeSafely();
    }

    /** The cached probe result; the first call probes (class initialisation makes it run once). */
    static Result result() {
        return Once.RESULT;
    }

    /** The line scripts/build-native recorded for this build, or null when it did not run. */
    static String buildRecord() {
        try (InputStream in = CudaProbe.class.getResourceAsStream(BUILD_RECORD)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return null;
        }
    }

    private static Result probeSafely() {
        try {
            return probe();
        } catch (Throwable t) {
            return unusable("device probe failed (" + oneLine(t) + ")", List.of(), 0, 0);
        }
    }

    private static Result probe() {
        addLibraryDirectoriesToPreloadPath(CudaLibrarySearch.onThisMachine());
        String platform = Loader.getPlatform();
        if (!PLATFORM.equals(platform)) {
            return unusable("built for " + PLATFORM + " only, this is " + platform, List.of(), 0, 0);
        }
        String record = buildRecord();
        if (record != null && record.startsWith("not built: ")) {
            return unusable("native library not built (" + record.substring("not built: ".length()) + ")",
                    List.of(), 0, 0);
        }
        CudaFlavour.Choice choice = CudaFlavour.forThisJvm();
        if (choice.flavour() == null) {
            return unusable(record == null ? "native library not built (scripts/build-native did not run for this build)"
                    : choice.reason(), List.of(), 0, 0);
        }
        try {
            Loader.load(CudaNative.class);  // its initialiser loads the chosen flavour first
        } catch (UnsatisfiedLinkError e) {
            if (record == null) {
                return unusable("native library not built (scripts/build-native did not run for this build)",
                        List.of(), 0, 0);
            }
            return unusable("native library failed to load (" + record + "; " + oneLine(e) + ")", List.of(), 0, 0);
        }

        boolean emulated = CudaNative.isEmulated() == 1;  // what the loaded library says it is
        if (emulated) {
            String memory = System.getProperty(EMULATED_MEMORY_PROPERTY);
            if (memory != null) {
                long bytes;
                try {
                    bytes = Long.parseLong(memory.strip());
                } catch (NumberFormatException e) {
                    return unusable(EMULATED_MEMORY_PROPERTY + " must be a number of bytes, not '" + memory + "'",
                            List.of(), 0, 0);
                }
                if (CudaNative.emulatedSetMemory(bytes) != 0) {
                    return unusable(EMULATED_MEMORY_PROPERTY + "=" + memory + " is not a usable device size",
                            List.of(), 0, 0);
                }
            }
        }
        byte[] message = new byte[512];
        if (CudaNative.driverProbe(message, message.length) != 0) {
            return unusable("NVIDIA driver not found (" + cString(message) + ")", List.of(), 0, 0);
        }
        int[] value = new int[1];
        CudaNative.check(CudaNative.runtimeVersion(value), "cudaRuntimeGetVersion");
        int runtime = value[0];
        CudaNative.check(CudaNative.driverVersion(value), "cudaDriverGetVersion");
        int driver = value[0];

        int status = CudaNative.deviceCount(value);
        if (status == CUDA_ERROR_INSUFFICIENT_DRIVER) {
            return unusable("NVIDIA driver too old: it supports CUDA " + version(driver) + ", the library needs CUDA "
                    + version(runtime) + " (" + CudaNative.statusString(status) + ")", List.of(), driver, runtime);
        }
        if (status == CUDA_ERROR_NO_DEVICE || (status == 0 && value[0] == 0)) {
            return unusable("no CUDA device" + (status == 0 ? "" : " (" + CudaNative.statusString(status) + ")"),
                    List.of(), driver, runtime);
        }
        if (status != 0) {
            return unusable("device query failed (" + CudaNative.statusString(status) + ")", List.of(), driver, runtime);
        }

        List<CudaDeviceInfo> devices = new ArrayList<>();
        for (int d = 0; d < value[0]; d++) {
            try {
                devices.add(queryDevice(d));
            } catch (CudaException e) {
                return unusable("device " + d + " cannot be queried (" + e.getMessage() + ")", devices, driver, runtime);
            }
        }
        List<CudaDeviceInfo> devicesView = List.copyOf(devices);
        String versions = emulated ? "CUDA " + version(runtime) + " runtime API, no driver"
                : "CUDA driver " + version(driver) + ", runtime " + version(runtime);
        CudaDeviceInfo first = devices.stream().filter(CudaDeviceInfo::supported).findFirst().orElse(null);
        if (first == null) {
            CudaDeviceInfo d0 = devices.get(0);
            return unusable("no device with compute capability " + CudaDeviceInfo.MIN_COMPUTE_MAJOR
                    + ".0 or newer (device 0: " + d0.name() + ", " + d0.computeCapability() + ")", devicesView,
                    driver, runtime);
        }
        String more = devices.size() > 1 ? " (+" + (devices.size() - 1) + " more)" : "";
        String kind = emulated ? "emulated device (every GPU thread a CPU fiber; correctness, not speed) " : "";
        return new Result(Availability.usable(kind + "device " + first.index() + ": " + first.describe() + more + "; "
                + versions), devicesView, driver, runtime, emulated);
    }

    /**
     * Lets JavaCPP find the cuBLAS / cuDNN libraries where {@link CudaLibrarySearch} found them: the
     * presets look for each library they preload in {@code platform.preloadpath}, which a system
     * property {@code org.bytedeco.javacpp.platform.preloadpath} extends. JavaCPP reads it when it
     * first loads its platform properties, so this runs before the first {@code Loader.load}.
     */
    static void addLibraryDirectoriesToPreloadPath(CudaLibrarySearch search) {
        List<String> dirs = new ArrayList<>();
        String key = "org.bytedeco.javacpp.platform.preloadpath";
        String existing = System.getProperty(key);
        if (existing != null && !existing.isBlank()) {
            dirs.add(existing);
        }
        search.libraryDirectories().forEach(d -> dirs.add(d.toString()));
        if (!dirs.isEmpty()) {
            System.setProperty(key, String.join(java.io.File.pathSeparator, dirs));
        }
    }

    private static CudaDeviceInfo queryDevice(int device) {
        byte[] name = new byte[256];
        int[] major = new int[1];
        int[] minor = new int[1];
        int[] multiprocessors = new int[1];
        CudaNative.check(CudaNative.deviceProperties(device, name, name.length, major, minor, multiprocessors),
                "cudaGetDeviceProperties");
        long[] free = new long[1];
        long[] total = new long[1];
        CudaNative.check(CudaNative.deviceMemory(device, free, total), "cudaMemGetInfo");
        return new CudaDeviceInfo(device, cString(name), major[0], minor[0], multiprocessors[0], total[0], free[0]);
    }

    private static Result unusable(String reason, List<CudaDeviceInfo> devices, int driver, int runtime) {
        return new Result(Availability.unusable(reason), List.copyOf(devices), driver, runtime);
    }

    /** CUDA encodes versions as 1000 * major + 10 * minor. */
    static String version(int encoded) {
        return String.format(Locale.ROOT, "%d.%d", encoded / 1000, (encoded % 1000) / 10);
    }

    private static String cString(byte[] bytes) {
        int length = 0;
        while (length < bytes.length && bytes[length] != 0) {
            length++;
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8).strip();
    }

    private static String oneLine(Throwable t) {
        String message = t.getMessage() == null ? "" : ": " + t.getMessage();
        return (t.getClass().getSimpleName() + message).replaceAll("\\s+", " ").strip();
    }
}
