// The runtime around the kernels: captured graphs replayed with new inputs, a capture broken by a
// synchronous call and recovered, running out of device memory (emulated device only), and the
// argument checks that must fail before anything is queued.
#include <algorithm>
#include <memory>

#include "check.hpp"

namespace check {
namespace {

constexpr int kSamples = 3;
constexpr int64_t kPerSample = 1001;
constexpr int64_t kCount = kSamples * kPerSample;

// The buffers of one run of the step below; `graph` and `eager` copies start equal.
struct Step {
    std::unique_ptr<Buffer> x, scale, y, relu, rate, grads, workspace, dots, table;
    std::vector<std::unique_ptr<Buffer>> params;  // param, grad, velocity of two tensors
    int64_t chunks = 0;

    Step(const std::vector<float>& x0, const std::vector<float>& y0, const std::vector<float>& scale0,
         const std::vector<std::vector<float>>& tensors) {
        x.reset(new Buffer(x0));
        scale.reset(new Buffer(scale0));
        y.reset(new Buffer(y0));
        relu.reset(new Buffer(nan_floats(kCount)));
        rate.reset(new Buffer(std::vector<float>{0.0f}));
        grads.reset(new Buffer(std::vector<float>{0.5f, -0.25f}));
        workspace.reset(new Buffer(snc_dot_per_sample_workspace_bytes(kSamples, kPerSample)));
        dots.reset(new Buffer(kSamples * 8));
        std::vector<int64_t> addresses(8);
        for (int k = 0; k < 6; ++k) {
            params.emplace_back(new Buffer(tensors[k]));
            addresses[(k % 3) * 2 + k / 3] = params.back()->address();  // blocks: params, grads, velocities
        }
        addresses[6] = static_cast<int64_t>(tensors[0].size());
        addresses[7] = static_cast<int64_t>(tensors[3].size());
        std::vector<int64_t> host_table(static_cast<size_t>(snc_sgd_momentum_table_entries(2)));
        call(snc_sgd_momentum_table(addresses.data(), 2, host_table.data(), static_cast<int64_t>(host_table.size())),
             "snc_sgd_momentum_table");
        chunks = host_table.back();
        table.reset(new Buffer(static_cast<int64_t>(host_table.size() * sizeof(int64_t))));
        call(snc_copy_pointers_to_device(context, table->get(), host_table.data(),
                                         static_cast<int64_t>(host_table.size())),
             "snc_copy_pointers_to_device");
    }

    // Queues the step: a gated accumulation, ReLU, a gate gradient that reads its factors from
    // the device, and the fused SGD update reading the rate from the device.
    void queue() const {
        call(snc_scale_add_per_sample(context, x->f(), scale->f(), 1.25f, y->f(), kSamples, kPerSample),
             "snc_scale_add_per_sample");
        call(snc_relu_forward(context, y->f(), relu->f(), kCount), "snc_relu_forward");
        call(snc_gate_gradient(context, relu->f(), x->f(), kSamples, kPerSample, workspace->d(),
                               snc_dot_per_sample_workspace_bytes(kSamples, kPerSample), dots->d(), scale->f(), 1.25f,
                               grads->f(), 1),
             "snc_gate_gradient");
        call(snc_sgd_momentum_all(context, table->get(), 2, chunks, rate->f(), 0.9f, 3e-4f), "snc_sgd_momentum_all");
    }

    void upload(const std::vector<float>& x0, const std::vector<float>& scale0, float lr) const {
        x->write(x0);
        scale->write(scale0);
        rate->write(std::vector<float>{lr});
    }
};

// Two launches of one captured step, with new inputs and a new learning rate uploaded between
// them, against the same calls run eagerly: the kernels are deterministic, so bit for bit.
void check_capture_replay() {
    run_check("capture_replay", sizes({{"samples", kSamples}, {"per_sample", kPerSample}, {"launches", 2}}),
              [&](Comparison& c) {
        const std::vector<float> x0 = random_floats(kCount), y0 = random_floats(kCount),
                                 scale0 = random_floats(kSamples, 0.0f, 1.0f);
        std::vector<std::vector<float>> tensors;
        for (int64_t n : {3000, 3000, 3000, 17, 17, 17}) tensors.push_back(random_floats(static_cast<size_t>(n)));
        Step graph(x0, y0, scale0, tensors), eager(x0, y0, scale0, tensors);
        void* exec = nullptr;
        call(snc_capture_begin(context), "snc_capture_begin");
        try {
            graph.queue();
        } catch (...) {
            snc_capture_abort(context);
            throw;
        }
        call(snc_capture_end(context, &exec), "snc_capture_end");
        struct Release {
            void* exec;
            ~Release() { snc_graph_destroy(context, exec); }
        } release{exec};
        c.expect(exec != nullptr, "snc_capture_end gave no graph");
        // recording runs nothing
        const std::vector<float> untouched = graph.y->read<float>(kCount);
        for (int64_t i = 0; i < kCount; ++i) c.exact("y before the first launch", i, y0[i], untouched[i]);
        const float rates[] = {0.05f, 0.0371f};
        std::vector<float> first_y;
        for (int launch = 0; launch < 2; ++launch) {
            const std::vector<float> x = launch == 0 ? x0 : random_floats(kCount);
            const std::vector<float> scale = launch == 0 ? scale0 : random_floats(kSamples, 0.0f, 1.0f);
            graph.upload(x, scale, rates[launch]);
            eager.upload(x, scale, rates[launch]);
            call(snc_graph_launch(context, exec), "snc_graph_launch");
            eager.queue();
            const std::vector<float> gy = graph.y->read<float>(kCount), ey = eager.y->read<float>(kCount);
            const std::vector<float> gr = graph.relu->read<float>(kCount), er = eager.relu->read<float>(kCount);
            const std::vector<float> gg = graph.grads->read<float>(2), eg = eager.grads->read<float>(2);
            for (int64_t i = 0; i < kCount; ++i) {
                c.exact("y", i, ey[i], gy[i]);
                c.exact("relu", i, er[i], gr[i]);
            }
            for (int i = 0; i < 2; ++i) c.exact("gate_grads", i, eg[i], gg[i]);
            c.expect(eg[0] == 0.5f, "gate gradient index 0 changed");
            for (size_t k = 0; k < tensors.size(); ++k) {
                const std::vector<float> gp = graph.params[k]->read<float>(tensors[k].size()),
                                         ep = eager.params[k]->read<float>(tensors[k].size());
                for (size_t i = 0; i < gp.size(); ++i) c.exact("sgd tensors", i, ep[i], gp[i]);
            }
            if (launch == 0) first_y = gy;
        }
        c.expect(first_y != graph.y->read<float>(kCount), "the second launch changed nothing");
    });
}

// A synchronous call inside a capture fails (it cannot be recorded) and breaks the recording;
// snc_capture_abort, or a failing snc_capture_end, must leave a stream that runs kernels again,
// and nothing recorded may have run.
void check_capture_failure(bool end_instead_of_abort) {
    run_check(end_instead_of_abort ? "capture_sync_then_end" : "capture_copy_then_abort", "count=1001",
              [&](Comparison& c) {
        const std::vector<float> t0 = random_floats(1001);
        Buffer t(t0);
        call(snc_capture_begin(context), "snc_capture_begin");
        const int filled = snc_fill(context, t.f(), 1.0f, 1001);
        int status;
        if (end_instead_of_abort) {
            status = snc_synchronize(context);
        } else {
            const std::vector<float> host(4, 3.0f);
            status = snc_copy_to_device(context, t.get(), host.data(), 16);
        }
        c.expect(filled == SNC_OK, "snc_fill inside the capture failed: " + std::to_string(filled));
        c.expect(status != SNC_OK, "a synchronous call inside a capture returned SNC_OK");
        if (end_instead_of_abort) {
            void* exec = reinterpret_cast<void*>(1);
            const int ended = snc_capture_end(context, &exec);
            c.expect(ended != SNC_OK, "snc_capture_end of a broken capture returned SNC_OK");
            c.expect(exec == nullptr, "snc_capture_end of a broken capture left a graph");
            if (ended == SNC_OK && exec != nullptr) snc_graph_destroy(context, exec);
        }
        const int aborted = snc_capture_abort(context);
        c.expect(aborted == SNC_OK, "snc_capture_abort returned " + std::to_string(aborted));
        const std::vector<float> after = t.read<float>(t0.size());
        for (size_t i = 0; i < t0.size(); ++i) c.exact("t (recorded fill never ran)", i, t0[i], after[i]);
        call(snc_fill(context, t.f(), 2.0f, 1001), "snc_fill after the capture");
        call(snc_synchronize(context), "snc_synchronize after the capture");
        const std::vector<float> filled_now = t.read<float>(t0.size());
        for (size_t i = 0; i < t0.size(); ++i) c.exact("t", i, 2.0f, filled_now[i]);
    });
}

// Allocate until the emulated device is full: the failure is SNC_CUDA_ERROR_MEMORY_ALLOCATION, is
// not reported again by the next launch, and memory freed afterwards can be allocated again. The
// device is shrunk to 64 MiB above what is in use for the check (so it fills in a few chunks) and
// given its capacity back afterwards.
void check_out_of_memory() {
    if (snc_is_emulated() != 1) {
        std::printf("SKIP out_of_memory: not an emulated device\n");
        return;
    }
    constexpr int64_t kRoom = 64 << 20, kChunk = 5 << 20;
    run_check("out_of_memory", sizes({{"room", kRoom}, {"chunk", kChunk}}), [&](Comparison& c) {
        Buffer probe(std::vector<float>(1000, 0.0f));
        int64_t free_bytes = 0, capacity = 0, used_before = 0, reserved = 0;
        call(snc_device_memory(0, &free_bytes, &capacity), "snc_device_memory");
        call(snc_synchronize(context), "snc_synchronize");
        call(snc_pool_usage(context, &used_before, &reserved), "snc_pool_usage");
        call(snc_emulated_set_memory(capacity - free_bytes + kRoom), "snc_emulated_set_memory");
        struct Restore {
            int64_t capacity;
            ~Restore() { snc_emulated_set_memory(capacity); }
        } restore{capacity};
        std::vector<void*> held;
        int status = SNC_OK;
        for (int k = 0; k < 64 && status == SNC_OK; ++k) {
            void* p = nullptr;
            status = snc_alloc(context, kChunk, &p);
            if (status == SNC_OK) held.push_back(p);
        }
        c.expect(status == SNC_CUDA_ERROR_MEMORY_ALLOCATION,
                 "allocating chunks ended with status " + std::to_string(status) + " after " +
                     std::to_string(held.size()) + " chunks");
        c.expect(held.size() >= kRoom / kChunk - 1 && held.size() <= kRoom / kChunk,
                 std::to_string(held.size()) + " chunks fitted into the room for " + std::to_string(kRoom / kChunk));
        void* too_big = nullptr;
        const int huge = snc_alloc(context, capacity + 1, &too_big);
        c.expect(huge == SNC_CUDA_ERROR_MEMORY_ALLOCATION,
                 "allocating more than the device holds returned " + std::to_string(huge));
        c.expect(too_big == nullptr, "a failed allocation returned an address");
        const int launched = snc_fill(context, probe.f(), 4.0f, 1000);
        c.expect(launched == SNC_OK, "the launch after running out returned " + std::to_string(launched));
        const std::vector<float> got = probe.read<float>(1000);
        for (size_t i = 0; i < got.size(); ++i) c.exact("probe", i, 4.0f, got[i]);
        if (!held.empty()) {
            call(snc_free(context, held.back()), "snc_free");
            held.pop_back();
            void* again = nullptr;
            const int reallocated = snc_alloc(context, kChunk, &again);
            c.expect(reallocated == SNC_OK, "allocating a freed chunk again returned " + std::to_string(reallocated));
            if (reallocated == SNC_OK) held.push_back(again);
        }
        for (void* p : held) call(snc_free(context, p), "snc_free");
        int64_t used_after = 0;
        call(snc_synchronize(context), "snc_synchronize");
        call(snc_pool_usage(context, &used_after, &reserved), "snc_pool_usage");
        c.expect(used_after == used_before, "pool usage " + std::to_string(used_after) + " after freeing, " +
                                                std::to_string(used_before) + " before");
    });
}

// Invalid extents and short workspaces give SNC_ERR_ARGUMENT before anything is queued, and the
// stream runs kernels afterwards.
void check_arguments() {
    run_check("argument_checks", "-", [&](Comparison& c) {
        Buffer a(random_floats(4096)), b(random_floats(4096)), out(nan_floats(4096));
        const auto rejects = [&](int status, const char* what) {
            c.expect(status == SNC_ERR_ARGUMENT, std::string(what) + " returned " + std::to_string(status));
        };
        const int32_t bad_conv[SNC_CONV_DIMS] = {1, 2, 8, 8, 2, 7, 8, 3, 1, 1, 1, 2};  // out_h 7, not 8
        c.expect(snc_conv_dims_valid(bad_conv) == 0, "snc_conv_dims_valid accepts a wrong out_h");
        rejects(snc_conv2d_forward(context, bad_conv, a.f(), b.f(), out.f()), "conv with a wrong out_h");
        const int32_t bad_groups[SNC_CONV_DIMS] = {1, 3, 8, 8, 4, 8, 8, 3, 1, 1, 1, 2};  // 3 channels, 2 groups
        rejects(snc_conv2d_backward_data(context, bad_groups, a.f(), b.f(), out.f()), "conv with in_c % groups != 0");
        const int32_t bad_pool[SNC_POOL_DIMS] = {2, 8, 8, 5, 5, 2, 2, 2};  // 2 * padding > kernel
        c.expect(snc_pool_dims_valid(bad_pool) == 0, "snc_pool_dims_valid accepts 2 * padding > kernel");
        rejects(snc_max_pool_forward(context, bad_pool, a.f(), out.f()), "max pool with 2 * padding > kernel");
        rejects(snc_batch_norm_train(context, a.f(), a.f(), a.f(), out.f(), out.f(), out.f(), out.f(), out.f(), 1, 2, 1,
                                     0.1f, 1e-5f),
                "batch norm over one value per channel");
        rejects(snc_gated_sum_forward(context, a.get(), a.f(), out.f(), SNC_MAX_GATED_OPS + 1, 1, 1),
                "gated sum with too many ops");
        const int64_t need = snc_dot_per_sample_workspace_bytes(2, 100);
        rejects(snc_dot_per_sample(context, a.f(), b.f(), 2, 100, out.d(), need - 1, out.d()),
                "dot with a short workspace");
        rejects(snc_relu_forward(context, a.f(), out.f(), -1), "relu over -1 elements");
        call(snc_fill(context, out.f(), 6.0f, 4096), "snc_fill after the rejected calls");
        const std::vector<float> got = out.read<float>(4096);
        for (size_t i = 0; i < got.size(); ++i) c.exact("out", i, 6.0f, got[i]);
    });
}

void run() {
    check_arguments();
    check_capture_replay();
    check_capture_failure(false);
    check_capture_failure(true);
    check_out_of_memory();
}

}  // namespace

const Family& runtime_family() {
    static const Family family{"runtime", {}, run};
    return family;
}

}  // namespace check
