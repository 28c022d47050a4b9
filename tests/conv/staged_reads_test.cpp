// Every value a kernel's intermediate stage loads was stored first. A whole tile that overhangs
// a narrow output still computes (and discards) its overhanging lanes; where those lanes read a
// staged buffer past what was written, the results stay correct, so the numeric sweeps pass,
// but the stale bits can be denormal floats, which cost Intel CPUs a microcode assist per
// multiply-add (a 1x1 layer at 56x56 ran 10-40x slower on a Skylake-SP Xeon). Halide's load
// and store tracing sees every lane.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <unordered_set>
#include <vector>

#include "jit/jit_layer.h"
#include "schedules/choose_schedule.h"
#include "schedules/x86_conv_params.h"
#include "io/memory_layout.h"
#include "support/conv_check.h"

namespace {

using convc::HW;
using convc::Layer;

// The trace handler is a plain function: the ledger is process-wide, one kernel at a time, and
// the kernel's parallel tasks report to it from several threads.
std::mutex ledger_mutex;
struct Ledger {
    std::map<std::string, std::unordered_set<uint64_t>> stored;
    std::map<std::string, int64_t> unwritten_loads;
};
Ledger ledger;

// The small test shapes keep every coordinate within 10 bits.
uint64_t packed_coordinates(const halide_trace_event_t *e, int lane) {
    const int lanes = e->type.lanes;
    uint64_t key = 0;
    for (int d = 0; d < e->dimensions / lanes; d++) {
        key = key << 10 | static_cast<uint64_t>(e->coordinates[d * lanes + lane] + 512) & 1023;
    }
    return key;
}

int32_t record(Halide::JITUserContext *, const halide_trace_event_t *e) {
    if (e->event != halide_trace_load && e->event != halide_trace_store) {
        return 0;
    }
    std::lock_guard<std::mutex> lock(ledger_mutex);
    std::unordered_set<uint64_t> &stored = ledger.stored[e->func];
    for (int lane = 0; lane < e->type.lanes; lane++) {
        uint64_t at = packed_coordinates(e, lane);
        if (e->event == halide_trace_store) {
            stored.insert(at);
        } else if (!stored.empty() && !stored.count(at)) {
            ledger.unwritten_loads[e->func]++;  // a Func (not an input buffer) loaded where it never stored
        }
    }
    return 0;
}

struct StagedCase {
    std::string name;
    Layer layer;
    convc::Shape4 input;
    convc::ScheduleChoice choice;
};

void PrintTo(const StagedCase &c, std::ostream *os) {
    *os << c.name << ": " << c.choice.to_string();
}

// No bias: the staged buffers are what matters.
Layer conv(int64_t c, int64_t k, HW kernel, HW stride = {1, 1}, HW pad = {0, 0}) {
    return convc_test::conv_layer(c, k, kernel, stride, pad, {1, 1}, 1, false);
}

Layer channels_last(Layer l) {
    l.layout = convc::MemoryLayout::Nhwc;
    return l;
}

convc::ScheduleChoice direct(const Layer &layer, int x_vectors) {
    convc::ScheduleChoice choice = convc::x86_direct_default(layer, Halide::get_host_target());
    choice.params["x_vectors"] = x_vectors;
    choice.params["tile_k"] = 4;
    choice.params["stage_input"] = 1;
    return choice;
}

// The x_pixels values of `family`'s space for `layer` on this host, widest first.
std::vector<int> widths_widest_first(const Layer &layer, const std::string &family) {
    for (const convc::ScheduleSpace &space : convc::schedule_spaces(layer, Halide::get_host_target())) {
        for (const convc::ParamRange &range : space.params) {
            if (space.family == family && range.name == "x_pixels") {
                return {range.values.rbegin(), range.values.rend()};
            }
        }
    }
    return {};
}

// A tile too wide for the host's registers becomes the widest that fits: AVX2 hosts have 16
// vector registers to AVX-512's 32, and the widest tile overhangs the narrow outputs the most.
convc::ScheduleChoice choice(const Layer &layer, const std::string &family, std::map<std::string, int> params) {
    const Halide::Target host = Halide::get_host_target();
    if (auto completed = convc::complete_schedule({family, params}, layer, host)) {
        return *completed;
    }
    for (int x : widths_widest_first(layer, family)) {
        if (params.count("x_pixels") && x < params["x_pixels"]) {
            params["x_pixels"] = x;
            if (auto completed = convc::complete_schedule({family, params}, layer, host)) {
                return *completed;
            }
        }
    }
    return convc::ScheduleChoice{"fits no space: " + family, {}};
}

// Outputs narrower than a tile (or with fewer rows), so that the tiles overhang: every family
// that stages its input, on the path that computes whole tiles past the output.
std::vector<StagedCase> staged_cases() {
    Layer pointwise = conv(8, 16, {1, 1}), window = conv(4, 8, {3, 3}, {1, 1}, {1, 1});
    Layer strided = conv(4, 8, {3, 3}, {2, 2}, {1, 1}), pointwise_s2 = conv(16, 32, {1, 1}, {2, 2});
    Layer dense = conv(16, 32, {3, 3}, {1, 1}, {1, 1});
    Layer dense_nhwc = channels_last(dense);
    Layer depthwise = conv(16, 16, {3, 3}, {1, 1}, {1, 1});
    depthwise.groups = 16;
    Layer depthwise_nhwc = channels_last(depthwise);
    // Stride 2 read in place: each run's pairs of vectors, the last tile of rows past the output.
    Layer deinterleaved = conv(4, 4, {3, 3}, {2, 2}, {1, 1});
    deinterleaved.groups = 4;
    deinterleaved.input_shape = convc::Shape4{1, 4, 8, 36};
    Layer grouped = channels_last(conv(32, 32, {3, 3}, {1, 1}, {1, 1}));
    grouped.groups = 8;
    // Fixed shapes size the staged copies with constants (WindowSpan::tiles_input_extent).
    Layer pointwise_fixed = pointwise, dense_fixed = dense;
    pointwise_fixed.input_shape = convc::Shape4{1, 8, 3, 20};
    dense_fixed.input_shape = convc::Shape4{1, 16, 3, 7};
    // The host's ISA prefix of the family names ("x86_avx512_", "x86_avx2_").
    std::string isa = convc::x86_direct_default(pointwise, Halide::get_host_target()).family;
    isa.resize(isa.size() - std::string("direct").size());
    return {
        {"direct_1x1", pointwise, {1, 8, 3, 20}, direct(pointwise, 4)},
        {"direct_1x1_fixed", pointwise_fixed, {1, 8, 3, 20}, direct(pointwise_fixed, 4)},
        {"direct_3x3", window, {1, 4, 4, 21}, direct(window, 2)},
        {"direct_3x3_s2", strided, {1, 4, 5, 23}, direct(strided, 2)},
        {"direct_1x1_s2_sampled", pointwise_s2, {1, 16, 5, 13}, direct(pointwise_s2, 2)},
        {"depthwise_plane", depthwise, {1, 16, 5, 14},
         choice(depthwise, isa + "depthwise", {{"stage_input", 1}, {"x_vectors", 1}, {"y_rows", 4}})},
        {"depthwise_rows", depthwise, {1, 16, 5, 14},
         choice(depthwise, isa + "depthwise", {{"stage_input", 3}, {"x_vectors", 1}, {"y_rows", 4}})},
        {"deinterleaved_pairs", deinterleaved, {1, 4, 8, 36}, choice(deinterleaved, isa + "deinterleaved", {{"y_rows", 2}})},
        {"lane_blocked_packed", depthwise_nhwc, {1, 16, 5, 7},
         choice(depthwise_nhwc, isa + "lane_blocked", {{"pack_input", 1}, {"x_pixels", 8}})},
        {"lane_blocked_rows_packed", depthwise_nhwc, {1, 16, 5, 7},
         choice(depthwise_nhwc, isa + "lane_blocked", {{"pack_input", 1}, {"register_tile", 0}, {"x_pixels", 8}})},
        {"blocked_staged", dense, {1, 16, 3, 7},
         choice(dense, isa + "blocked", {{"stage_input", 1}, {"x_pixels", 8}, {"trim_taps", 0}})},
        {"blocked_staged_fixed", dense_fixed, {1, 16, 3, 7},
         choice(dense_fixed, isa + "blocked", {{"stage_input", 1}, {"x_pixels", 8}, {"trim_taps", 0}})},
        {"blocked_staged_nhwc", dense_nhwc, {1, 16, 3, 7},
         choice(dense_nhwc, isa + "blocked", {{"stage_input", 1}, {"x_pixels", 8}, {"trim_taps", 0}})},
        {"blocked_sampled_rows", pointwise_s2, {1, 16, 5, 13},
         choice(pointwise_s2, isa + "blocked", {{"stage_rows", 1}, {"x_pixels", 8}})},
        {"interleaved_packed", grouped, {1, 32, 3, 7}, choice(grouped, isa + "group_interleaved", {{"x_pixels", 8}})},
    };
}

class StagedReads : public ::testing::TestWithParam<StagedCase> {};

TEST_P(StagedReads, LoadOnlyWhatWasStored) {
    const StagedCase &c = GetParam();
    Halide::JITHandlers tracing;
    tracing.custom_trace = record;
    Halide::JITHandlers previous = Halide::Internal::JITSharedRuntime::set_default_handlers(tracing);
    ledger = Ledger{};
    Halide::Target target = Halide::get_host_target()
                                .with_feature(Halide::Target::TraceLoads)
                                .with_feature(Halide::Target::TraceStores);
    convc::Shape4 w = convc::weight_shape(c.layer);
    std::vector<float> input = convc_test::random_values(convc_test::element_count(c.input), 1);
    std::vector<float> weight = convc_test::random_values(convc_test::element_count(w), 2);
    std::vector<float> output(convc_test::element_count(convc::output_shape(c.layer, c.input)));
    convc::JitLayer kernel(c.layer, target, c.choice);
    kernel.run({input.data(), {c.input.begin(), c.input.end()}}, {weight.data(), {w.begin(), w.end()}}, std::nullopt,
               output.data());
    Halide::Internal::JITSharedRuntime::set_default_handlers(previous);

    EXPECT_FALSE(ledger.stored.empty()) << "no trace events: tracing did not reach the kernel";
    for (const auto &[func, count] : ledger.unwritten_loads) {
        ADD_FAILURE() << func << ": " << count << " lane(s) loaded where nothing was stored";
    }
}

INSTANTIATE_TEST_SUITE_P(Conv2d, StagedReads, ::testing::ValuesIn(staged_cases()),
                         [](const ::testing::TestParamInfo<StagedCase> &info) { return info.param.name; });

}  // namespace
