#include "tune/measure_schedule.h"

#include <algorithm>
#include <cstdlib>
#include <future>
#include <thread>

#include "io/memory_layout.h"
#include "reference/layer_reference.h"
#include "reference/reference_check.h"
#include "schedules/choose_schedule.h"

namespace convc {

namespace {

constexpr int64_t kTrialSpatial = 56;

int64_t count(const Shape4 &s) {
    return s[0] * s[1] * s[2] * s[3];
}

HugePageFloats copied_to_huge_pages(const std::vector<float> &values) {
    HugePageFloats copy(values.size());
    std::copy(values.begin(), values.end(), copy.data());
    return copy;
}

// A dense copy of `buffer` in `storage`.
Halide::Buffer<float> on_huge_pages(const Halide::Buffer<float> &buffer, HugePageFloats &storage) {
    storage = HugePageFloats(buffer.number_of_elements());
    std::vector<int> mins, sizes;
    for (int d = 0; d < buffer.dimensions(); d++) {
        mins.push_back(buffer.dim(d).min());
        sizes.push_back(buffer.dim(d).extent());
    }
    Halide::Buffer<float> copy(storage.data(), sizes);
    copy.set_min(mins);
    copy.copy_from(buffer);
    return copy;
}

}  // namespace

LayerTrial make_layer_trial(const Layer &layer) {
    LayerTrial t;
    t.input = layer.input_shape.value_or(Shape4{1, layer.in_channels, kTrialSpatial, kTrialSpatial});
    t.output = output_shape(layer, t.input);
    t.x = convc_reference::seeded_values(count(t.input), 1);
    t.w = convc_reference::seeded_values(count(weight_shape(layer)), 2);
    t.b = convc_reference::seeded_values(layer.out_channels, 3);
    std::array<int64_t, 4> ref_shape{};
    t.reference = convc_reference::conv2d(reference_params(layer), t.x.data(), t.input, t.w.data(),
                                          layer.bias ? t.b.data() : nullptr, ref_shape);
    return t;
}

CheckedKernel::CheckedKernel(const Layer &layer, const Halide::Target &target, const ScheduleChoice &schedule,
                             const LayerTrial &trial) {
    try {
        kernel_ = std::make_unique<JitLayer>(layer, target, schedule);
        Shape4 w = weight_shape(layer);
        x_ = copied_to_huge_pages(nchw_to_layout(trial.x.data(), trial.input, layer.layout));
        TensorRef in{x_.data(), {trial.input.begin(), trial.input.end()}};
        TensorRef weight{trial.w.data(), {w.begin(), w.end()}};
        std::optional<TensorRef> bias;
        if (layer.bias) {
            bias = TensorRef{trial.b.data(), {layer.out_channels}};
        }
        y_ = HugePageFloats(count(trial.output));
        kernel_->run(in, weight, bias, y_.data());
        double error = convc_reference::max_relative_error(layout_to_nchw(y_.data(), trial.output, layer.layout),
                                                           trial.reference);
        if (!(error <= convc_reference::kTolerance)) {
            failure_ = "wrong result (max relative error " + std::to_string(error) + ")";
            return;
        }
        packed_ = on_huge_pages(kernel_->pack_weights(weight), packed_storage_);
        call_ = kernel_->repeatable_call(in, packed_, bias, y_.data());
        gflop_ = 2.0 * multiply_accumulates(layer, trial.input) * 1e-9;
    } catch (const Halide::Error &e) {
        failure_ = std::string("Halide: ") + e.what();
    }
}

Measurement CheckedKernel::time(double min_seconds, bool also_one_thread) {
    Measurement m;
    m.failure = failure_;
    if (!ok()) {
        return m;
    }
    try {
        kernel_->run_on_calling_thread(false);
        m.timing = time_repeated(call_, 5, min_seconds);
        m.gflops = gflop_ / m.timing.median_s;
        if (also_one_thread) {
            kernel_->run_on_calling_thread(true);
            m.one_thread_gflops = gflop_ / time_repeated(call_, 5, min_seconds).median_s;
        }
        m.ok = true;
    } catch (const Halide::Error &e) {
        m.failure = std::string("Halide: ") + e.what();
    }
    return m;
}

std::vector<std::unique_ptr<CheckedKernel>> check_together(const Layer &layer, const Halide::Target &target,
                                                           const std::vector<ScheduleChoice> &schedules,
                                                           const LayerTrial &trial) {
    auto check = [&](const ScheduleChoice &schedule) {
        return std::make_unique<CheckedKernel>(layer, target, schedule, trial);
    };
    std::vector<std::unique_ptr<CheckedKernel>> kernels(schedules.size());
    const size_t together = schedules_checked_together(target);
    for (size_t first = 0; first < schedules.size(); first += together) {
        const size_t end = std::min(schedules.size(), first + together);
        auto alone = [&](size_t i) { return together == 1 || is_autoscheduler(schedules[i]); };
        for (size_t i = first; i < end; i++) {
            if (alone(i)) {
                kernels[i] = check(schedules[i]);
            }
        }
        std::vector<std::future<std::unique_ptr<CheckedKernel>>> pending(end - first);
        for (size_t i = first; i < end; i++) {
            if (!alone(i)) {
                pending[i - first] = std::async(std::launch::async, check, std::cref(schedules[i]));
            }
        }
        for (size_t i = first; i < end; i++) {
            if (pending[i - first].valid()) {
                kernels[i] = pending[i - first].get();
            }
        }
    }
    return kernels;
}

size_t schedules_checked_together(const Halide::Target &target) {
    if (target.has_gpu_feature()) {
        return 1;
    }
    return std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4);
}

std::vector<Contender> time_in_turns(const Layer &layer, const Halide::Target &target,
                                     const std::vector<ScheduleChoice> &schedules, const LayerTrial &trial, int rounds,
                                     double min_seconds, const TurnObserver &on_turn) {
    std::vector<Contender> contenders;
    std::vector<std::unique_ptr<CheckedKernel>> kernels = check_together(layer, target, schedules, trial);
    for (size_t i = 0; i < schedules.size(); i++) {
        contenders.push_back({schedules[i], std::move(kernels[i])});
    }
    for (int round = 1; round <= rounds; round++) {
        for (size_t i = 0; i < contenders.size(); i++) {
            Contender &c = contenders[i];
            if (!c.kernel->ok()) {
                continue;
            }
            Measurement m = c.kernel->time(min_seconds, true);
            if (m.ok) {
                c.gflops = std::max(c.gflops, m.gflops);
                c.one_thread_gflops = std::max(c.one_thread_gflops, m.one_thread_gflops);
            }
            if (on_turn) {
                on_turn(round, i, c, m);
            }
        }
    }
    return contenders;
}

int kernel_thread_count() {
    const char *env = std::getenv("HL_NUM_THREADS");
    return env && std::atoi(env) > 0 ? std::atoi(env) : static_cast<int>(std::thread::hardware_concurrency());
}

Measurement measure_schedule(const Layer &layer, const Halide::Target &target, const ScheduleChoice &schedule,
                             const LayerTrial &trial, double min_seconds, bool also_one_thread) {
    return CheckedKernel(layer, target, schedule, trial).time(min_seconds, also_one_thread);
}

}  // namespace convc
