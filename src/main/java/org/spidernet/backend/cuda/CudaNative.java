package org.spidernet.backend.cuda;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Name;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * The JNI boundary to libspidernet_cuda (C API in {@code native/spidernet_cuda.h}); nothing else in
 * the engine calls native code for this backend. The JavaCPP Builder, run by
 * {@code scripts/build-native}, generates and compiles the glue (libjniCudaNative.so) from these
 * declarations. Context handles and device pointers travel as {@code long}; every method returns
 * the C status (0 is success, see {@link #check}). Callers wrap it: {@link CudaContext},
 * {@link DeviceBuffer} and the kernel classes check sizes before anything reaches native code.
 *
 * <p>Loading this class loads the libraries and throws {@link UnsatisfiedLinkError} when they are
 * missing; {@link CudaProbe} is the one place that triggers it and turns that into a reason.
 */
@Platform(value = "linux-x86_64", include = "spidernet_cuda.h", link = "spidernet_cuda")
final class CudaNative {
    static {
        Loader.load();
    }

    private CudaNative() {
    }

    /** Throws {@link CudaException} naming {@code call} unless {@code status} is 0. */
    static void check(int status, String call) {
        if (status != 0) {
            throw new CudaException(status, call + " failed: " + statusString(status));
        }
    }

    // ---------------------------------------------------------------- status and device query

    @Name("snc_status_string")
    static native @Cast("const char*") String statusString(int status);

    @Name("snc_driver_probe")
    static native int driverProbe(@Cast("char*") byte[] message, int capacity);

    @Name("snc_runtime_version")
    static native int runtimeVersion(int[] version);

    @Name("snc_driver_version")
    static native int driverVersion(int[] version);

    @Name("snc_device_count")
    static native int deviceCount(int[] count);

    @Name("snc_device_properties")
    static native int deviceProperties(int device, @Cast("char*") byte[] name, int nameCapacity,
                                       int[] computeMajor, int[] computeMinor, int[] multiprocessors);

    @Name("snc_device_memory")
    static native int deviceMemory(int device, @Cast("int64_t*") long[] freeBytes, @Cast("int64_t*") long[] totalBytes);

    // ---------------------------------------------------------------- contexts and memory

    @Name("snc_context_create")
    static native int contextCreate(int device, @Cast("snc_context**") long[] context);

    @Name("snc_context_destroy")
    static native int contextDestroy(@Cast("snc_context*") long context);

    @Name("snc_synchronize")
    static native int synchronize(@Cast("snc_context*") long context);

    @Name("snc_pool_usage")
    static native int poolUsage(@Cast("snc_context*") long context, @Cast("int64_t*") long[] usedBytes,
                                @Cast("int64_t*") long[] reservedBytes);

    @Name("snc_alloc")
    static native int alloc(@Cast("snc_context*") long context, @Cast("int64_t") long bytes,
                            @Cast("void**") long[] devicePointer);

    @Name("snc_free")
    static native int free(@Cast("snc_context*") long context, @Cast("void*") long devicePointer);

    @Name("snc_memset_zero")
    static native int memsetZero(@Cast("snc_context*") long context, @Cast("void*") long devicePointer,
                                 @Cast("int64_t") long bytes);

    @Name("snc_copy_to_device")
    static native int copyToDevice(@Cast("snc_context*") long context, @Cast("void*") long deviceDestination,
                                   @Cast("const void*") float[] hostSource, @Cast("int64_t") long bytes);

    @Name("snc_copy_to_host")
    static native int copyToHost(@Cast("snc_context*") long context, @Cast("void*") float[] hostDestination,
                                 @Cast("const void*") long deviceSource, @Cast("int64_t") long bytes);

    @Name("snc_copy_to_host")
    static native int copyToHost(@Cast("snc_context*") long context, @Cast("void*") double[] hostDestination,
                                 @Cast("const void*") long deviceSource, @Cast("int64_t") long bytes);

    // ---------------------------------------------------------------- kernels

    @Name("snc_scale_add_per_sample")
    static native int scaleAddPerSample(@Cast("snc_context*") long context, @Cast("const float*") long x,
                                        @Cast("const float*") long scale, @Cast("float*") long y,
                                        int samples, @Cast("int64_t") long perSample);

    @Name("snc_dot_per_sample_workspace_bytes")
    static native @Cast("int64_t") long dotPerSampleWorkspaceBytes(int samples, @Cast("int64_t") long perSample);

    @Name("snc_dot_per_sample")
    static native int dotPerSample(@Cast("snc_context*") long context, @Cast("const float*") long a,
                                   @Cast("const float*") long b, int samples, @Cast("int64_t") long perSample,
                                   @Cast("double*") long workspace, @Cast("int64_t") long workspaceBytes,
                                   @Cast("double*") long out);

    @Name("snc_relu_forward")
    static native int reluForward(@Cast("snc_context*") long context, @Cast("const float*") long x,
                                  @Cast("float*") long y, @Cast("int64_t") long count);

    @Name("snc_relu_backward")
    static native int reluBackward(@Cast("snc_context*") long context, @Cast("const float*") long x,
                                   @Cast("const float*") long dy, @Cast("float*") long dx, @Cast("int64_t") long count);
}
