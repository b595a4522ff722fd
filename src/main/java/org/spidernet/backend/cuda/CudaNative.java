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
// No `link`: scripts/build-native links the glue against libspidernet_cuda.so itself, and this
// class's initialiser loads the chosen flavour of that library (CudaFlavour) before the glue, so
// that JavaCPP never loads the other one.
@Platform(value = "linux-x86_64", include = "spidernet_cuda.h")
final class CudaNative {
    static {
        // whichever class touches native code first, the chosen flavour is loaded before the glue
        CudaFlavour.loadForThisJvm();
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

    @Name("snc_is_emulated")
    static native int isEmulated();

    @Name("snc_emulated_set_memory")
    static native int emulatedSetMemory(@Cast("int64_t") long bytes);

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

    @Name("snc_pool_high_water")
    static native int poolHighWater(@Cast("snc_context*") long context, @Cast("int64_t*") long[] highBytes, int reset);

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
                                        @Cast("const float*") long scale, float multiplier, @Cast("float*") long y,
                                        int samples, @Cast("int64_t") long perSample);

    @Name("snc_dot_per_sample_workspace_bytes")
    static native @Cast("int64_t") long dotPerSampleWorkspaceBytes(int samples, @Cast("int64_t") long perSample);

    @Name("snc_gate_gradient")
    static native int gateGradient(@Cast("snc_context*") long context, @Cast("const float*") long dy,
                                   @Cast("const float*") long x, int samples, @Cast("int64_t") long perSample,
                                   @Cast("double*") long workspace, @Cast("int64_t") long workspaceBytes,
                                   @Cast("double*") long dots, @Cast("const float*") long factor, float multiplier,
                                   @Cast("float*") long gateGrads, int index);

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

    // ---------------------------------------------------------------- input pipeline

    /** Most channels {@link #augment} normalises ({@code SNC_AUGMENT_MAX_CHANNELS}). */
    static final int AUGMENT_MAX_CHANNELS = 16;

    /** Ints per sample in {@link #augment}'s device parameter array. */
    static final int AUGMENT_SAMPLE_INTS = 5;

    /** Host bytes to the device (the augment staging: plan ints, then pixels). */
    @Name("snc_copy_to_device")
    static native int copyToDevice(@Cast("snc_context*") long context, @Cast("void*") long deviceDestination,
                                   @Cast("const void*") byte[] hostSource, @Cast("int64_t") long bytes);

    @Name("snc_augment")
    static native int augment(@Cast("snc_context*") long context, @Cast("const uint8_t*") long raw,
                              @Cast("float*") long out, int batch, int channels, int height, int width, int samples,
                              @Cast("const int32_t*") long params, @Cast("const double*") double[] hostMean,
                              @Cast("const double*") double[] hostScale, int padding, int cutout);

    // ---------------------------------------------------------------- sample-pair kernels (train-free metrics)

    @Name("snc_sign_agreement_workspace_bytes")
    static native @Cast("int64_t") long signAgreementWorkspaceBytes(int samples, @Cast("int64_t") long perSample);

    @Name("snc_sign_agreement")
    static native int signAgreement(@Cast("snc_context*") long context, @Cast("const float*") long x, int samples,
                                    @Cast("int64_t") long perSample, @Cast("float*") long k,
                                    @Cast("void*") long workspace, @Cast("int64_t") long workspaceBytes);

    @Name("snc_gram_workspace_bytes")
    static native @Cast("int64_t") long gramWorkspaceBytes(int samples, @Cast("int64_t") long perSample);

    @Name("snc_gram")
    static native int gram(@Cast("snc_context*") long context, @Cast("const float*") long a, int samples,
                           @Cast("int64_t") long perSample, @Cast("double*") long workspace,
                           @Cast("int64_t") long workspaceBytes, @Cast("double*") long out);

    // ---------------------------------------------------------------- training ops (native/training_launches.cpp)

    /** Entries of the int32 extents array of the convolution calls ({@code SNC_CONV_DIMS}). */
    static final int CONV_DIMS = 12;
    /** Entries of the int32 extents array of the pooling calls ({@code SNC_POOL_DIMS}). */
    static final int POOL_DIMS = 8;
    /** Most ops one fused gated-sum call serves ({@code SNC_MAX_GATED_OPS}). */
    static final int MAX_GATED_OPS = 8;

    /** 1 when the C side accepts these convolution extents (no device needed). */
    @Name("snc_conv_dims_valid")
    static native int convDimsValid(@Cast("const int32_t*") int[] dims);

    /** 1 when the C side accepts these pooling extents (no device needed). */
    @Name("snc_pool_dims_valid")
    static native int poolDimsValid(@Cast("const int32_t*") int[] dims);

    @Name("snc_fill")
    static native int fill(@Cast("snc_context*") long context, @Cast("float*") long t, float value,
                           @Cast("int64_t") long count);

    @Name("snc_copy")
    static native int copy(@Cast("snc_context*") long context, @Cast("const float*") long src, @Cast("float*") long dst,
                           @Cast("int64_t") long count);

    @Name("snc_axpy")
    static native int axpy(@Cast("snc_context*") long context, float alpha, @Cast("const float*") long x,
                           @Cast("float*") long y, @Cast("int64_t") long count);

    @Name("snc_copy_pointers_to_device")
    static native int copyPointersToDevice(@Cast("snc_context*") long context, @Cast("void*") long deviceDestination,
                                           @Cast("const int64_t*") long[] addresses, @Cast("int64_t") long count);

    @Name("snc_gated_sum_forward")
    static native int gatedSumForward(@Cast("snc_context*") long context, @Cast("const void*") long xTable,
                                      @Cast("const float*") long scale, @Cast("float*") long y, int ops, int samples,
                                      @Cast("int64_t") long perSample);

    @Name("snc_gated_sum_backward_workspace_bytes")
    static native @Cast("int64_t") long gatedSumBackwardWorkspaceBytes(int ops, int samples,
                                                                       @Cast("int64_t") long perSample);

    @Name("snc_gated_sum_backward")
    static native int gatedSumBackward(@Cast("snc_context*") long context, @Cast("const float*") long dy,
                                       @Cast("const void*") long xTable, @Cast("const float*") long scale,
                                       @Cast("const void*") long dxTable, int ops, int samples,
                                       @Cast("int64_t") long perSample, @Cast("double*") long workspace,
                                       @Cast("int64_t") long workspaceBytes, @Cast("double*") long dots);

    /** The fused backward's dots folded into the gate gradients in one launch ({@link GatedAccumulate#NATIVE_FOLD}). */
    @Name("snc_gate_gradient_fold")
    static native int gateGradientFold(@Cast("snc_context*") long context, @Cast("const double*") long dots,
                                       @Cast("const float*") long factors, int samples,
                                       @Cast("const int32_t*") int[] rows, @Cast("const float*") float[] multipliers,
                                       @Cast("const int32_t*") int[] gates, int ops, @Cast("float*") long gateGrads);

    @Name("snc_conv2d_forward")
    static native int conv2dForward(@Cast("snc_context*") long context, @Cast("const int32_t*") int[] dims,
                                    @Cast("const float*") long x, @Cast("const float*") long w, @Cast("float*") long y);

    @Name("snc_conv2d_backward_data")
    static native int conv2dBackwardData(@Cast("snc_context*") long context, @Cast("const int32_t*") int[] dims,
                                         @Cast("const float*") long dy, @Cast("const float*") long w,
                                         @Cast("float*") long dx);

    @Name("snc_conv2d_backward_filter")
    static native int conv2dBackwardFilter(@Cast("snc_context*") long context, @Cast("const int32_t*") int[] dims,
                                           @Cast("const float*") long x, @Cast("const float*") long dy,
                                           @Cast("float*") long dw);

    @Name("snc_batch_norm_train")
    static native int batchNormTrain(@Cast("snc_context*") long context, @Cast("const float*") long x,
                                     @Cast("const float*") long gamma, @Cast("const float*") long beta,
                                     @Cast("float*") long y, @Cast("float*") long saveMean,
                                     @Cast("float*") long saveInvStd, @Cast("float*") long runMean,
                                     @Cast("float*") long runVar, int batch, int channels,
                                     @Cast("int64_t") long plane, float momentum, float eps);

    @Name("snc_batch_norm_eval")
    static native int batchNormEval(@Cast("snc_context*") long context, @Cast("const float*") long x,
                                    @Cast("const float*") long gamma, @Cast("const float*") long beta,
                                    @Cast("const float*") long runMean, @Cast("const float*") long runVar,
                                    @Cast("float*") long y, int batch, int channels, @Cast("int64_t") long plane,
                                    float eps);

    @Name("snc_batch_norm_backward")
    static native int batchNormBackward(@Cast("snc_context*") long context, @Cast("const float*") long x,
                                        @Cast("const float*") long dy, @Cast("const float*") long gamma,
                                        @Cast("const float*") long saveMean, @Cast("const float*") long saveInvStd,
                                        @Cast("float*") long dx, @Cast("float*") long dGamma,
                                        @Cast("float*") long dBeta, int batch, int channels,
                                        @Cast("int64_t") long plane);

    @Name("snc_max_pool_forward")
    static native int maxPoolForward(@Cast("snc_context*") long context, @Cast("const int32_t*") int[] dims,
                                     @Cast("const float*") long x, @Cast("float*") long y);

    @Name("snc_max_pool_backward")
    static native int maxPoolBackward(@Cast("snc_context*") long context, @Cast("const int32_t*") int[] dims,
                                      @Cast("const float*") long x, @Cast("const float*") long dy,
                                      @Cast("float*") long dx);

    @Name("snc_avg_pool_forward")
    static native int avgPoolForward(@Cast("snc_context*") long context, @Cast("const int32_t*") int[] dims,
                                     @Cast("const float*") long x, @Cast("float*") long y);

    @Name("snc_avg_pool_backward")
    static native int avgPoolBackward(@Cast("snc_context*") long context, @Cast("const int32_t*") int[] dims,
                                      @Cast("const float*") long dy, @Cast("float*") long dx);

    @Name("snc_subsample_forward")
    static native int subsampleForward(@Cast("snc_context*") long context, @Cast("const float*") long x,
                                       @Cast("float*") long y, @Cast("int64_t") long planes, int h, int w, int stride,
                                       int offset);

    @Name("snc_subsample_backward")
    static native int subsampleBackward(@Cast("snc_context*") long context, @Cast("const float*") long dy,
                                        @Cast("float*") long dx, @Cast("int64_t") long planes, int h, int w,
                                        int stride, int offset);

    @Name("snc_concat_channels_forward")
    static native int concatChannelsForward(@Cast("snc_context*") long context, @Cast("const float*") long x,
                                            @Cast("float*") long y, @Cast("int64_t") long batch, int channels,
                                            int totalChannels, int channelOffset, @Cast("int64_t") long plane);

    @Name("snc_concat_channels_backward")
    static native int concatChannelsBackward(@Cast("snc_context*") long context, @Cast("const float*") long dy,
                                             @Cast("float*") long dx, @Cast("int64_t") long batch, int channels,
                                             int totalChannels, int channelOffset, @Cast("int64_t") long plane);

    @Name("snc_global_avg_pool_forward")
    static native int globalAvgPoolForward(@Cast("snc_context*") long context, @Cast("const float*") long x,
                                           @Cast("float*") long y, @Cast("int64_t") long planes,
                                           @Cast("int64_t") long plane);

    @Name("snc_global_avg_pool_backward")
    static native int globalAvgPoolBackward(@Cast("snc_context*") long context, @Cast("const float*") long dy,
                                            @Cast("float*") long dx, @Cast("int64_t") long planes,
                                            @Cast("int64_t") long plane);

    @Name("snc_linear_forward")
    static native int linearForward(@Cast("snc_context*") long context, @Cast("const float*") long x,
                                    @Cast("const float*") long w, @Cast("const float*") long b, @Cast("float*") long y,
                                    int batch, int in, int out);

    @Name("snc_linear_backward")
    static native int linearBackward(@Cast("snc_context*") long context, @Cast("const float*") long x,
                                     @Cast("const float*") long w, @Cast("const float*") long dy,
                                     @Cast("float*") long dx, @Cast("float*") long dw, @Cast("float*") long db,
                                     int batch, int in, int out);

    @Name("snc_softmax_cross_entropy_workspace_bytes")
    static native @Cast("int64_t") long softmaxCrossEntropyWorkspaceBytes(int batch);

    @Name("snc_softmax_cross_entropy")
    static native int softmaxCrossEntropy(@Cast("snc_context*") long context, @Cast("const float*") long logits,
                                          @Cast("const float*") long labels, @Cast("float*") long dLogits,
                                          int batch, int classes, double scale, @Cast("double*") long workspace,
                                          @Cast("int64_t") long workspaceBytes, @Cast("float*") long loss);

    @Name("snc_sgd_momentum")
    static native int sgdMomentum(@Cast("snc_context*") long context, @Cast("float*") long param,
                                  @Cast("const float*") long grad, @Cast("float*") long velocity,
                                  @Cast("int64_t") long count, float lr, float momentum, float weightDecay);

    /** Entries of the fused SGD update's table for {@code tensors} tensors. */
    @Name("snc_sgd_momentum_table_entries")
    static native @Cast("int64_t") long sgdMomentumTableEntries(@Cast("int64_t") long tensors);

    /** Host only: fills {@code table} from the param, grad, velocity addresses and the counts (4 blocks of {@code tensors}). */
    @Name("snc_sgd_momentum_table")
    static native int sgdMomentumTable(@Cast("const int64_t*") long[] addressesAndCounts, @Cast("int64_t") long tensors,
                                       @Cast("int64_t*") long[] table, @Cast("int64_t") long entries);

    /** The fused update; {@code lr} is the device address of the float32 learning rate, read by the kernel. */
    @Name("snc_sgd_momentum_all")
    static native int sgdMomentumAll(@Cast("snc_context*") long context, @Cast("const void*") long table,
                                     @Cast("int64_t") long tensors, @Cast("int64_t") long chunks,
                                     @Cast("const float*") long lr, float momentum, float weightDecay);

    // ---------------------------------------------------------------- captured steps (CUDA graphs)

    @Name("snc_capture_begin")
    static native int captureBegin(@Cast("snc_context*") long context);

    @Name("snc_capture_end")
    static native int captureEnd(@Cast("snc_context*") long context, @Cast("void**") long[] graphExec);

    @Name("snc_capture_abort")
    static native int captureAbort(@Cast("snc_context*") long context);

    @Name("snc_graph_launch")
    static native int graphLaunch(@Cast("snc_context*") long context, @Cast("void*") long graphExec);

    @Name("snc_graph_destroy")
    static native int graphDestroy(@Cast("snc_context*") long context, @Cast("void*") long graphExec);
}
