package org.spidernet.backend.cuda;

import java.util.Locale;

/**
 * One CUDA device as the probe saw it. Memory figures are bytes at probe time; compute
 * capability is {@code major.minor} (8.0 is A100, 9.0 is H100).
 */
public record CudaDeviceInfo(int index, String name, int computeMajor, int computeMinor, int multiprocessors,
                             long totalMemoryBytes, long freeMemoryBytes) {

    /** Oldest compute capability the kernels run on: they ship sm_80 and sm_90 code plus compute_90 PTX. */
    public static final int MIN_COMPUTE_MAJOR = 8;

    /** "9.0". */
    public String computeCapability() {
        return computeMajor + "." + computeMinor;
    }

    /** Whether the kernels in this build can run on the device. */
    public boolean supported() {
        return computeMajor >= MIN_COMPUTE_MAJOR;
    }

    /** One line: "NVIDIA H100 80GB HBM3, 79.1 GiB (78.6 GiB free), compute capability 9.0, 132 SMs". */
    public String describe() {
        return String.format(Locale.ROOT, "%s, %.1f GiB (%.1f GiB free), compute capability %s, %d SMs",
                name, gib(totalMemoryBytes), gib(freeMemoryBytes), computeCapability(), multiprocessors);
    }

    private static double gib(long bytes) {
        return bytes / (1024.0 * 1024.0 * 1024.0);
    }
}
