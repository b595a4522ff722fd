package org.spidernet.backend.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What {@code spidernet info} says about the CUDA environment under the cuda backend's line: driver
 * and runtime versions, every device (name, total and free memory, compute capability), and where
 * each {@link CudaLibrary} was found or that it was not. A missing piece is a line, never an error.
 */
final class CudaEnvironmentReport {

    private CudaEnvironmentReport() {
    }

    /** The report for this machine. */
    static List<String> onThisMachine() {
        return lines(CudaProbe.result(), linkedRuntimeVersion(), CudaLibrarySearch.onThisMachine());
    }

    /**
     * The report from a probe result and a library search. {@code linkedRuntime} is the CUDA runtime
     * version linked into our library (0 when unknown); the probe has it only where a driver answered.
     */
    static List<String> lines(CudaProbe.Result probe, int linkedRuntime, CudaLibrarySearch search) {
        List<String> lines = new ArrayList<>();
        if (probe.emulated()) {
            // no driver and no CUDA libraries are involved: the emulator stands in for both
            lines.add("emulated device (native/emulator): the runtime API subset of CUDA " + CudaProbe.version(probe.runtimeVersion())
                    + ", no driver; choose with -D" + CudaFlavour.PROPERTY + "=gpu|emulated|auto");
            lines.add("detectors: races (thread orders; SNC_EMU_RACECHECK=all|sample|off), barriers, warp masks, guard bytes;"
                    + " device memory -D" + CudaProbe.EMULATED_MEMORY_PROPERTY + "=BYTES");
            for (CudaDeviceInfo device : probe.devices()) {
                lines.add("device " + device.index() + ": " + device.describe());
            }
            return lines;
        }
        int runtime = probe.runtimeVersion() != 0 ? probe.runtimeVersion() : linkedRuntime;
        String runtimeText = runtime == 0 ? "unknown (library not loaded)" : CudaProbe.version(runtime);
        if (probe.driverVersion() != 0) {
            lines.add("CUDA driver " + CudaProbe.version(probe.driverVersion()) + ", runtime " + runtimeText);
        } else {
            lines.add("CUDA driver: not found; runtime " + runtimeText);
        }
        for (CudaDeviceInfo device : probe.devices()) {
            lines.add("device " + device.index() + ": " + device.describe()
                    + (device.supported() ? "" : " (unsupported: the kernels need compute capability "
                    + CudaDeviceInfo.MIN_COMPUTE_MAJOR + ".0 or newer)"));
        }

        List<CudaLibrarySearch.Lookup> lookups = search.findAll();
        int width = lookups.stream().mapToInt(l -> l.library().soname().length()).max().orElse(0);
        for (CudaLibrarySearch.Lookup lookup : lookups) {
            lines.add(String.format("%-" + width + "s  %s", lookup.library().soname(), describe(lookup, search)));
        }
        for (String problem : search.problems()) {
            lines.add("warning: " + problem);
        }
        if (lookups.stream().anyMatch(l -> !l.complete())) {
            lines.add("searched: " + (search.directories().isEmpty() ? "no existing directory"
                    : search.directories().stream().map(d -> d.path() + " (" + d.origin() + ")")
                    .collect(Collectors.joining(", "))));
        }
        return lines;
    }

    private static String describe(CudaLibrarySearch.Lookup lookup, CudaLibrarySearch search) {
        CudaLibrary library = lookup.library();
        if (lookup.found()) {
            String where = "found in " + lookup.directory().path() + " (" + lookup.directory().origin() + ")";
            if (lookup.missingCompanions().isEmpty()) {
                return where;
            }
            return where + ", but " + String.join(", ", lookup.missingCompanions())
                    + (lookup.missingCompanions().size() == 1 ? " is" : " are") + " missing beside it";
        }
        StringBuilder sb = new StringBuilder("not found");
        if (!lookup.otherVersions().isEmpty()) {
            sb.append(" (only other versions: ").append(lookup.otherVersions().stream()
                    .limit(3).map(Object::toString).collect(Collectors.joining(", "))).append(')');
        }
        sb.append("; not needed by the current kernels (all ours), only by future cuBLAS/cuDNN paths: set ").append(CudaLibrarySearch.ENVIRONMENT_VARIABLE)
                .append(" to the directory holding ").append(library.soname());
        return sb.toString();
    }

    /** The runtime version compiled into libspidernet_cuda.so (cudart is static), or 0 when it did not load. */
    private static int linkedRuntimeVersion() {
        try {
            int[] version = new int[1];
            return CudaNative.runtimeVersion(version) == 0 ? version[0] : 0;
        } catch (LinkageError | RuntimeException e) {
            // library not built or not loadable: the availability line already says why
            return 0;
        }
    }
}
