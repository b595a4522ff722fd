/*
 * The C API of libspidernet_cuda, the host side of SpiderNet's CUDA backend. This is the whole
 * boundary the Java side binds (org.spidernet.backend.cuda.CudaNative, through JavaCPP), so it is
 * plain C with no CUDA types: the JNI glue compiles with g++ alone.
 *
 * Conventions
 *  - Every function returns a status: 0 (SNC_OK) is success, a positive value is a cudaError_t,
 *    a negative value is one of this library's SNC_ERR_* codes; snc_status_string explains it.
 *  - Device pointers are opaque addresses obtained from snc_alloc. Tensors are dense float32,
 *    row-major, sample index outermost.
 *  - Work is queued on the context's stream; only copies to and from host memory and
 *    snc_synchronize wait for it. Errors of queued kernels surface at the next waiting call.
 *  - A context may be used from any thread, but not from two threads at once.
 */
#ifndef SPIDERNET_CUDA_H
#define SPIDERNET_CUDA_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The library is linked with -fvisibility=hidden; only these functions are exported. */
#define SNC_API __attribute__((visibility("default")))

#define SNC_OK 0
#define SNC_ERR_ARGUMENT (-1)    /* a null pointer, negative size or too small buffer */
#define SNC_ERR_NO_DRIVER (-2)   /* libcuda.so.1 cannot be loaded */
#define SNC_ERR_OUT_OF_HOST_MEMORY (-3)
/* The cudaError_t (cudaErrorMemoryAllocation) snc_alloc returns when the device cannot supply the
   memory; the Java side turns it into DeviceOutOfMemoryException (CudaStatus.MEMORY_ALLOCATION). */
#define SNC_CUDA_ERROR_MEMORY_ALLOCATION 2

typedef struct snc_context snc_context;

/* ---- status ---------------------------------------------------------------------------- */

/* "cudaErrorNoDevice: no CUDA-capable device is detected", or the SNC_ERR_* meaning. Static storage. */
SNC_API const char* snc_status_string(int status);

/* ---- driver and device query (no context needed) ----------------------------------------- */

/* SNC_OK when the NVIDIA driver library (libcuda.so.1) loads; otherwise SNC_ERR_NO_DRIVER with
   the loader's message copied into `message` (NUL-terminated, truncated to `capacity`). */
SNC_API int snc_driver_probe(char* message, int capacity);

/* 1 when this library runs the kernels on the emulated device (native/emulator: every GPU thread a
   CPU fiber, with race, barrier, warp-mask, bounds and uninitialised-read detectors), 0 when it
   runs them on an NVIDIA GPU. */
SNC_API int snc_is_emulated(void);

/* The emulated device's memory in bytes, for allocations together (default 4 GiB or the
   SPIDERNET_EMULATED_DEVICE_MEMORY environment variable). SNC_ERR_ARGUMENT on a GPU build, for a
   negative size or one below the bytes in use. */
SNC_API int snc_emulated_set_memory(int64_t bytes);

/* CUDA versions as 1000 * major + 10 * minor. The driver version is 0 when no driver is loaded. */
SNC_API int snc_runtime_version(int* version);
SNC_API int snc_driver_version(int* version);

SNC_API int snc_device_count(int* count);

/* Name (NUL-terminated, truncated to name_capacity), compute capability and multiprocessor count. */
SNC_API int snc_device_properties(int device, char* name, int name_capacity, int* compute_major,
                                  int* compute_minor, int* multiprocessors);

/* Free and total device memory in bytes. Creates the device's primary context if needed. */
SNC_API int snc_device_memory(int device, int64_t* free_bytes, int64_t* total_bytes);

/* ---- contexts, memory pool and copies --------------------------------------------------- */

/* A stream on `device` with its own stream-ordered memory pool. */
SNC_API int snc_context_create(int device, snc_context** context);

/* Waits for queued work, then releases the stream and the pool. Null is a no-op. */
SNC_API int snc_context_destroy(snc_context* context);

SNC_API int snc_synchronize(snc_context* context);

/* Bytes of the pool in use by live allocations, and bytes the pool holds from the driver. */
SNC_API int snc_pool_usage(snc_context* context, int64_t* used_bytes, int64_t* reserved_bytes);

/* The pool's high-water mark of bytes in use since creation or the last reset (waits for nothing;
   call snc_synchronize first for a figure that includes queued frees); reset != 0 then restarts it
   from the bytes in use now. */
SNC_API int snc_pool_high_water(snc_context* context, int64_t* high_bytes, int reset);

/* Allocation and release are ordered on the stream: a buffer may be freed right after queuing
   the last kernel that reads it. Memory returned by snc_alloc is not initialised. When the device
   is out of memory, snc_alloc waits for the stream (so queued frees are done), returns the pool's
   unused memory to the device and tries once more before it returns
   SNC_CUDA_ERROR_MEMORY_ALLOCATION; the runtime's last-error state is cleared either way, so the
   failure is not reported again by the next kernel launch. */
SNC_API int snc_alloc(snc_context* context, int64_t bytes, void** device_pointer);
SNC_API int snc_free(snc_context* context, void* device_pointer);

/* Sets `bytes` bytes at `device_pointer` to zero (queued). */
SNC_API int snc_memset_zero(snc_context* context, void* device_pointer, int64_t bytes);

/* Host <-> device copies; they return once the copy (and all work queued before it) is done. */
SNC_API int snc_copy_to_device(snc_context* context, void* device_destination, const void* host_source,
                               int64_t bytes);
SNC_API int snc_copy_to_host(snc_context* context, void* host_destination, const void* device_source,
                             int64_t bytes);

/* ---- kernels (queued on the context's stream) ------------------------------------------- */

/* y[n, :] += (multiplier * scale[n]) * x[n, :]; x, y [samples, per_sample], scale [samples], all on the
   device (scale is a row of the engine's [gates, samples] drop-path masks, uploaded before the step). */
SNC_API int snc_scale_add_per_sample(snc_context* context, const float* x, const float* scale, float multiplier,
                                     float* y, int samples, int64_t per_sample);

/* Workspace bytes snc_dot_per_sample needs; 0 for samples <= 0. */
SNC_API int64_t snc_dot_per_sample_workspace_bytes(int samples, int64_t per_sample);

/* out[n] = sum over i of a[n, i] * b[n, i], accumulated in float64 (out is double[samples] on the device). */
SNC_API int snc_dot_per_sample(snc_context* context, const float* a, const float* b, int samples,
                               int64_t per_sample, double* workspace, int64_t workspace_bytes, double* out);

/* gate_grads[index] += sum over n of (multiplier * factor[n]) * (sum over i of dy[n, i] * x[n, i]), in
   float64: one gate's gradient kept on the device. factor is a DEVICE array of `samples` floats; dots
   is device scratch of `samples` doubles; the workspace is snc_dot_per_sample_workspace_bytes(samples,
   per_sample) bytes. Reads no host memory, so it can be captured. */
SNC_API int snc_gate_gradient(snc_context* context, const float* dy, const float* x, int samples, int64_t per_sample,
                              double* workspace, int64_t workspace_bytes, double* dots, const float* factor,
                              float multiplier, float* gate_grads, int index);

/* y = max(x, 0), elementwise over `count` floats; y may equal x. */
SNC_API int snc_relu_forward(snc_context* context, const float* x, float* y, int64_t count);

/* dx += x > 0 ? dy : 0, elementwise over `count` floats. */
SNC_API int snc_relu_backward(snc_context* context, const float* x, const float* dy, float* dx, int64_t count);

/* ---- input pipeline (queued; see Backend.augment) ---------------------------------------- */

/* Most channels snc_augment normalises (their mean and scale travel in the launch). */
#define SNC_AUGMENT_MAX_CHANNELS 16

/* out [batch, channels, height, width] float32 = the normalised, augmented batch built from raw,
   DEVICE uint8 [samples, channels, height, width] (the images' pixels): crop from raw zero-padded
   by `padding`, horizontal flip, out = float32((v / 255 - host_mean[c]) * host_scale[c]) in
   float64, then Cutout of side `cutout` set to 0, for samples < `samples`; zeros for the rest.
   params: DEVICE int32 [samples, 5] = crop_y, crop_x (in [0, 2 * padding]), flip (0/1), cutout_y,
   cutout_x (-1, -1 for no Cutout). raw and params may be NULL when samples is 0. host_mean,
   host_scale: HOST arrays of `channels` doubles, copied into the launch (reusable on return). */
SNC_API int snc_augment(snc_context* context, const uint8_t* raw, float* out, int batch, int channels, int height,
                        int width, int samples, const int32_t* params, const double* host_mean,
                        const double* host_scale, int padding, int cutout);

/* ---- sample-pair kernels of the train-free metrics (queued; see Backend.java) ----------------- */

/* Workspace bytes snc_sign_agreement needs (the packed sign codes); 0 for samples <= 0. */
SNC_API int64_t snc_sign_agreement_workspace_bytes(int samples, int64_t per_sample);

/* k[i, j] += #{d : (x[i, d] > 0) == (x[j, d] > 0)}; x [samples, per_sample], k [samples, samples] float32. */
SNC_API int snc_sign_agreement(snc_context* context, const float* x, int samples, int64_t per_sample, float* k,
                               void* workspace, int64_t workspace_bytes);

/* Workspace bytes snc_gram needs (partial Grams of slices of the positions); may be 0. */
SNC_API int64_t snc_gram_workspace_bytes(int samples, int64_t per_sample);

/* out[i * samples + j] = sum_d a[i, d] * a[j, d] in float64; a [samples, per_sample] float32, out
   [samples, samples] float64 on the device (overwritten). */
SNC_API int snc_gram(snc_context* context, const float* a, int samples, int64_t per_sample, double* workspace,
                     int64_t workspace_bytes, double* out);

/* ---- training ops (all queued on the context's stream; float32 tensors, see Backend.java) -- */

/* t[i] = value; dst[i] = src[i] (a device-to-device copy); y[i] += alpha * x[i]. count elements. */
SNC_API int snc_fill(snc_context* context, float* t, float value, int64_t count);
SNC_API int snc_copy(snc_context* context, const float* src, float* dst, int64_t count);
SNC_API int snc_axpy(snc_context* context, float alpha, const float* x, float* y, int64_t count);

/* Host -> device copy of int32 values (the augmentation's per-sample parameters), same contract as
   snc_copy_to_device. */
SNC_API int snc_copy_ints_to_device(snc_context* context, void* device_destination, const int32_t* host_source,
                                    int64_t count);

/* Host -> device copy of device addresses (the pointer tables of the fused gated-sum kernels). */
SNC_API int snc_copy_pointers_to_device(snc_context* context, void* device_destination, const int64_t* addresses,
                                        int64_t count);

/* Fused gated sum of one edge (see cuda-kernels/gated_accumulate.cu). x and dx are device arrays
   of `ops` device addresses (a dx entry may be 0: no gradient for that op); scale is [ops, samples]
   float32; dots is [ops, samples] float64. ops <= SNC_MAX_GATED_OPS. */
#define SNC_MAX_GATED_OPS 8
SNC_API int snc_gated_sum_forward(snc_context* context, const void* x_table, const float* scale, float* y, int ops,
                                  int samples, int64_t per_sample);
SNC_API int64_t snc_gated_sum_backward_workspace_bytes(int ops, int samples, int64_t per_sample);
SNC_API int snc_gated_sum_backward(snc_context* context, const float* dy, const void* x_table, const float* scale,
                                   const void* dx_table, int ops, int samples, int64_t per_sample, double* workspace,
                                   int64_t workspace_bytes, double* dots);
/* gate_grads[host_gates[j]] += sum_n ((double)host_multipliers[j] * (double)factors[host_rows[j]*samples+n])
   * dots[j*samples+n], for j = 0..ops-1 in order; each op's total added in float64 and rounded once,
   exactly as gate_gradient_finish_kernel does per op (so the result is bit-identical to one
   snc_gate_gradient per op, and two ops naming one gate add in order). dots: device [ops,samples]
   float64 from snc_gated_sum_backward; factors: device [rows,samples] float32; gate_grads: device
   float32; host arrays of `ops` entries copied into the launch (so a captured graph needs no host
   memory). One launch; ops == 0 or samples == 0 launch nothing. SNC_ERR_ARGUMENT for null pointers,
   samples<0, ops outside [0,SNC_MAX_GATED_OPS], a negative row or gate. */
SNC_API int snc_gate_gradient_fold(snc_context* context, const double* dots, const float* factors, int samples,
                                   const int32_t* host_rows, const float* host_multipliers,
                                   const int32_t* host_gates, int ops, float* gate_grads);

/* Convolution extents, an int32 array of SNC_CONV_DIMS entries in this order (see ConvDims in
   cuda-kernels/conv_dims.cuh): batch, in_c, in_h, in_w, out_c, out_h, out_w, kernel, stride,
   padding, dilation, groups. Invalid extents give SNC_ERR_ARGUMENT before any launch. The
   depthwise kernels serve groups == in_c == out_c, the grouped kernels everything else. */
#define SNC_CONV_DIMS 12
/* 1 when `dims` describes a convolution the kernels accept (the check every conv call makes), else 0. */
SNC_API int snc_conv_dims_valid(const int32_t* dims);
SNC_API int snc_conv2d_forward(snc_context* context, const int32_t* dims, const float* x, const float* w, float* y);
SNC_API int snc_conv2d_backward_data(snc_context* context, const int32_t* dims, const float* dy, const float* w,
                                     float* dx);
SNC_API int snc_conv2d_backward_filter(snc_context* context, const int32_t* dims, const float* x, const float* dy,
                                       float* dw);

/* BatchNorm over [batch, channels, plane] (see Backend.java for the conventions). */
SNC_API int snc_batch_norm_train(snc_context* context, const float* x, const float* gamma, const float* beta, float* y,
                                 float* save_mean, float* save_inv_std, float* run_mean, float* run_var, int batch,
                                 int channels, int64_t plane, float momentum, float eps);
SNC_API int snc_batch_norm_eval(snc_context* context, const float* x, const float* gamma, const float* beta,
                                const float* run_mean, const float* run_var, float* y, int batch, int channels,
                                int64_t plane, float eps);
SNC_API int snc_batch_norm_backward(snc_context* context, const float* x, const float* dy, const float* gamma,
                                    const float* save_mean, const float* save_inv_std, float* dx, float* d_gamma,
                                    float* d_beta, int batch, int channels, int64_t plane);

/* Pooling extents, an int32 array of SNC_POOL_DIMS entries: planes (N * C), in_h, in_w, out_h,
   out_w, kernel, stride, padding. */
#define SNC_POOL_DIMS 8
/* 1 when `dims` describes a pooling the kernels accept (the check every pooling call makes), else 0. */
SNC_API int snc_pool_dims_valid(const int32_t* dims);
SNC_API int snc_max_pool_forward(snc_context* context, const int32_t* dims, const float* x, float* y);
SNC_API int snc_max_pool_backward(snc_context* context, const int32_t* dims, const float* x, const float* dy, float* dx);
SNC_API int snc_avg_pool_forward(snc_context* context, const int32_t* dims, const float* x, float* y);
SNC_API int snc_avg_pool_backward(snc_context* context, const int32_t* dims, const float* dy, float* dx);

/* Subsampling y = x[:, :, offset::stride, offset::stride] of `planes` h x w planes into ceil(h / stride) x
   ceil(w / stride) planes (0 where the input index is past the edge; 0 <= offset < stride), and its
   backward (accumulates). */
SNC_API int snc_subsample_forward(snc_context* context, const float* x, float* y, int64_t planes, int h, int w,
                                  int stride, int offset);
SNC_API int snc_subsample_backward(snc_context* context, const float* dy, float* dx, int64_t planes, int h, int w,
                                   int stride, int offset);

/* Channel concatenation, one input at a time: y [batch, total_channels, plane] gets x [batch, channels, plane]
   at channels [channel_offset, channel_offset + channels); the backward adds that block of dy into dx. */
SNC_API int snc_concat_channels_forward(snc_context* context, const float* x, float* y, int64_t batch, int channels,
                                        int total_channels, int channel_offset, int64_t plane);
SNC_API int snc_concat_channels_backward(snc_context* context, const float* dy, float* dx, int64_t batch,
                                         int channels, int total_channels, int channel_offset, int64_t plane);

/* Global average pooling of `planes` planes of `plane` elements, and its backward (accumulates). */
SNC_API int snc_global_avg_pool_forward(snc_context* context, const float* x, float* y, int64_t planes, int64_t plane);
SNC_API int snc_global_avg_pool_backward(snc_context* context, const float* dy, float* dx, int64_t planes,
                                         int64_t plane);

/* y [batch, out] = x [batch, in] * w [out, in]^T + b; backward accumulates (dx may be null). */
SNC_API int snc_linear_forward(snc_context* context, const float* x, const float* w, const float* b, float* y,
                               int batch, int in, int out);
SNC_API int snc_linear_backward(snc_context* context, const float* x, const float* w, const float* dy, float* dx,
                                float* dw, float* db, int batch, int in, int out);

/* loss[0] += scale * mean softmax cross-entropy (float64, rounded once to the float32 loss);
   d_logits += scale * (softmax - onehot) / batch. labels: float32 [batch] class ids on the device;
   loss: one float32 on the device; workspace as sized below. A label that is not an integer in
   [0, classes) makes the loss NaN. */
SNC_API int64_t snc_softmax_cross_entropy_workspace_bytes(int batch);
SNC_API int snc_softmax_cross_entropy(snc_context* context, const float* logits, const float* labels, float* d_logits,
                                      int batch, int classes, double scale, double* workspace, int64_t workspace_bytes,
                                      float* loss);

/* SGD with momentum and weight decay, PyTorch's convention (see Backend.java). */
SNC_API int snc_sgd_momentum(snc_context* context, float* param, const float* grad, float* velocity, int64_t count,
                             float lr, float momentum, float weight_decay);

/* The same update for many tensors in one launch (cuda-kernels/sgd_momentum.cu). The caller builds
   the int64 table on the host with snc_sgd_momentum_table (no device needed) from 4 * tensors
   entries: the param, grad and velocity addresses and the element counts, each a block of
   `tensors` entries in that order; copies it to the device once (snc_copy_pointers_to_device) and
   reuses it for every step over the same tensors. `chunks` is the table's last entry. The written
   tensors (params, velocities) of different entries must not overlap. `lr` is a device address:
   the kernel reads the learning rate when it runs, so a captured graph replays with the value
   uploaded before each launch; it must not lie in a param or velocity. */
SNC_API int64_t snc_sgd_momentum_table_entries(int64_t tensors);
SNC_API int snc_sgd_momentum_table(const int64_t* addresses_and_counts, int64_t tensors, int64_t* table,
                                   int64_t entries);
SNC_API int snc_sgd_momentum_all(snc_context* context, const void* table, int64_t tensors, int64_t chunks,
                                 const float* lr, float momentum, float weight_decay);

/* ---- captured steps (CUDA graphs; native/graph_capture.cpp) --------------------------------- */

/* Starts recording the context's stream (cudaStreamCaptureModeThreadLocal): from here until
   snc_capture_end, kernels queued on the context are recorded, not run. A call that would wait for
   the device or touch host memory synchronously (copies to or from the host, snc_synchronize)
   fails on this thread and invalidates the recording (snc_capture_end then fails). Not refused:
   snc_alloc (pool allocation is capturable: the memory becomes the graph's) and snc_free, which
   during a recording is an error for memory the recording did not allocate and invalidates it, so
   the Java side defers frees until the recording ends (CudaBackend). */
SNC_API int snc_capture_begin(snc_context* context);

/* Ends the recording and instantiates it: *graph_exec is an executable graph for snc_graph_launch
   (the recorded graph itself is released at once). On failure nothing is left to release. */
SNC_API int snc_capture_end(snc_context* context, void** graph_exec);

/* Ends a recording that failed part-way and discards it; the stream is usable again. Returns the
   status of ending the capture (SNC_OK when the stream was not capturing). */
SNC_API int snc_capture_abort(snc_context* context);

/* Queues one run of the graph on the context's stream. */
SNC_API int snc_graph_launch(snc_context* context, void* graph_exec);

/* Waits for the context's stream, then releases the graph. Null is a no-op. */
SNC_API int snc_graph_destroy(snc_context* context, void* graph_exec);

#ifdef __cplusplus
}
#endif

#endif /* SPIDERNET_CUDA_H */
