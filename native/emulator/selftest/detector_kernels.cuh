// Launchers of the detector test kernels (detector_kernels.cu); each returns the launch status.
#pragma once

#include <cuda_runtime.h>

cudaError_t launch_neighbour_sum(const float* x, float* y, bool with_barrier);
cudaError_t launch_shared_winner(int* y, bool only_thread_zero);
cudaError_t launch_shifted_copy(const float* x, float* y, int n, int shift);
cudaError_t launch_shifted_store(float* y, int n, int shift);
cudaError_t launch_half_warp_shuffle(const float* x, float* y, bool fixed);
cudaError_t launch_divergent_barrier(const float* x, float* y, bool fixed);
cudaError_t launch_double(const float* x, float* y, int n);
cudaError_t launch_warp_sum(const float* x, float* y, unsigned* votes);
cudaError_t launch_double_with_block(const float* x, float* y, int n, int threads);
