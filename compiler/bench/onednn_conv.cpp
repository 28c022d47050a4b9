#include "bench/onednn_conv.h"

#include <random>
#include <stdexcept>
#include <unordered_map>

#include "bench/huge_page_floats.h"
#include "dnnl.hpp"

namespace convc {

namespace {

using dnnl::memory;
using Tag = memory::format_tag;
constexpr memory::data_type f32 = memory::data_type::f32;

memory::dims dims_of(const Shape4 &shape) {
    return {shape[0], shape[1], shape[2], shape[3]};
}

int64_t element_count(const Shape4 &shape) {
    return shape[0] * shape[1] * shape[2] * shape[3];
}

// oneDNN takes groups as a leading weight dimension rather than as a parameter.
memory::dims weight_dims(const Layer &layer) {
    Shape4 w = weight_shape(layer);
    if (layer.groups == 1) {
        return dims_of(w);
    }
    return {layer.groups, w[0] / layer.groups, w[1], w[2], w[3]};
}

Tag plain_weight_tag(const Layer &layer) {
    return layer.groups == 1 ? Tag::oihw : Tag::goihw;
}

// Everything the primitive needs to know about the layer; `any` lets oneDNN choose layouts.
dnnl::convolution_forward::desc conv_desc(const Layer &layer, const Shape4 &input) {
    Padding pad = resolved_padding(layer);
    memory::desc src(dims_of(input), f32, Tag::any);
    memory::desc weights(weight_dims(layer), f32, Tag::any);
    memory::desc dst(dims_of(output_shape(layer, input)), f32, Tag::any);
    // A zero (format-undefined) desc is oneDNN's way of saying "no bias".
    memory::desc bias = layer.bias ? memory::desc({layer.out_channels}, f32, Tag::a) : memory::desc();
    // Direct, not auto: auto may pick Winograd, whose rounding differs from what convc and
    // PyTorch compute, so the comparison would no longer be like for like.
    return dnnl::convolution_forward::desc(
        dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct, src, weights, bias, dst,
        {layer.stride.h, layer.stride.w},
        // oneDNN counts the gaps between taps: PyTorch's dilation 1 is its 0.
        {layer.dilation.h - 1, layer.dilation.w - 1}, {pad.top, pad.left}, {pad.bottom, pad.right});
}

// One CPU engine and stream for the whole process: every layer then shares oneDNN's
// primitive cache and scratchpad, as a real application's would.
dnnl::engine &cpu_engine() {
    static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
    return engine;
}

dnnl::stream &cpu_stream() {
    static dnnl::stream stream(cpu_engine());
    return stream;
}

// The oneDNN objects of one layer, with its operands already in the primitive's layouts.
class OnednnConv {
public:
    // `user_tag`: the layout of the caller's input and output (nchw, or nhwc for channels-last).
    OnednnConv(const Layer &layer, const Shape4 &input, const float *x, const float *w, const float *b, Tag user_tag)
        : user_tag_(user_tag),
          engine_(cpu_engine()),
          stream_(cpu_stream()),
          pd_(conv_desc(layer, input), engine_),
          conv_(pd_),
          dst_shape_(output_shape(layer, input)),
          src_(imported(pd_.src_desc(), memory::desc(dims_of(input), f32, user_tag), x)),
          weights_(imported(pd_.weights_desc(), memory::desc(weight_dims(layer), f32, plain_weight_tag(layer)), w)),
          dst_(owned(pd_.dst_desc())) {
        if (layer.bias) {
            bias_ = imported(pd_.bias_desc(), pd_.bias_desc(), b);
        }
    }

    // Waits for the stream so that a timer around this call sees the whole convolution.
    void run() {
        std::unordered_map<int, memory> args{{DNNL_ARG_SRC, src_}, {DNNL_ARG_WEIGHTS, weights_}, {DNNL_ARG_DST, dst_}};
        if (bias_) {
            args[DNNL_ARG_BIAS] = bias_;
        }
        conv_.execute(stream_, args);
        stream_.wait();
    }

    // What a caller holding plain tensors (NCHW or NHWC) pays: its input reordered into oneDNN's
    // layout, the convolution, and the output reordered back (the weights stay packed, as a
    // framework keeps them).
    void run_on_plain(memory &plain_src, memory &plain_dst) {
        dnnl::reorder(plain_src, src_).execute(stream_, plain_src, src_);
        run();
        dnnl::reorder(dst_, plain_dst).execute(stream_, dst_, plain_dst);
        stream_.wait();
    }

    memory plain_memory(const Shape4 &shape, float *data) {
        return memory(memory::desc(dims_of(shape), f32, user_tag_), engine_, data);
    }

    const Shape4 &dst_shape() const { return dst_shape_; }

    std::vector<float> output_plain() {
        std::vector<float> out(static_cast<size_t>(element_count(dst_shape_)));
        memory plain(memory::desc(dims_of(dst_shape_), f32, user_tag_), engine_, out.data());
        reorder(dst_, plain);
        return out;
    }

    std::string implementation() const { return pd_.impl_info_str(); }

private:
    // Copies plain caller data into library-owned memory of the layout oneDNN asked for. Always
    // copying, even when the layouts agree, means the primitive never aliases the caller's data.
    memory imported(const memory::desc &wanted, const memory::desc &plain_desc, const float *data) {
        memory plain(plain_desc, engine_, const_cast<float *>(data));
        memory copy = owned(wanted);
        reorder(plain, copy);
        return copy;
    }

    // Memory of the layout oneDNN asked for, in 2 MB pages as convc's kernels are timed on.
    memory owned(const memory::desc &desc) {
        storage_.emplace_back((desc.get_size() + sizeof(float) - 1) / sizeof(float));
        return memory(desc, engine_, storage_.back().data());
    }

    void reorder(memory &from, memory &to) {
        dnnl::reorder(from, to).execute(stream_, from, to);
        stream_.wait();
    }

    Tag user_tag_;
    dnnl::engine &engine_;
    dnnl::stream &stream_;
    dnnl::convolution_forward::primitive_desc pd_;
    dnnl::convolution_forward conv_;
    Shape4 dst_shape_;
    std::vector<HugePageFloats> storage_;  // behind src_, weights_, dst_ and bias_
    memory src_, weights_, dst_, bias_;
};

// Values in [-1, 1): zeros could let a kernel skip work or hit denormal slow paths.
std::vector<float> random_floats(int64_t count, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    std::vector<float> v(static_cast<size_t>(count));
    for (float &f : v) {
        f = dist(rng);
    }
    return v;
}

std::string expressibility_problem(const Layer &layer, const Shape4 &input) {
    if (layer.padding_mode != PaddingMode::Zeros) {
        return std::string("oneDNN convolutions only pad with zeros, not '") + padding_mode_name(layer.padding_mode) +
               "'";
    }
    return input_shape_problem(layer, input);
}

}  // namespace

struct OnednnRival::State {
    State(const Layer &layer, const Shape4 &input)
        : x(random_floats(element_count(input), 1)),
          w(random_floats(element_count(weight_shape(layer)), 2)),
          b(random_floats(layer.out_channels, 3)),
          conv(layer, input, x.data(), w.data(), b.data(), layer.channels_last() ? Tag::nhwc : Tag::nchw),
          y(static_cast<size_t>(element_count(conv.dst_shape()))),
          plain_src(conv.plain_memory(input, x.data())),
          plain_dst(conv.plain_memory(conv.dst_shape(), y.data())) {}

    std::vector<float> x, w, b;
    OnednnConv conv;
    std::vector<float> y;
    memory plain_src, plain_dst;
};

OnednnRival::OnednnRival(std::unique_ptr<State> state) : state_(std::move(state)) {}

OnednnRival::~OnednnRival() = default;

std::unique_ptr<OnednnRival> OnednnRival::create(const Layer &layer, const Shape4 &input, std::string *why) {
    std::string problem = expressibility_problem(layer, input);
    if (problem.empty()) {
        try {
            return std::unique_ptr<OnednnRival>(new OnednnRival(std::make_unique<State>(layer, input)));
        } catch (const dnnl::error &e) {
            problem = std::string("oneDNN refused the layer: ") + e.what();
        }
    }
    if (why) {
        *why = problem;
    }
    return nullptr;
}

Timing OnednnRival::time(double min_seconds) {
    return time_repeated([&] { state_->conv.run(); }, 10, min_seconds);
}

Timing OnednnRival::time_on_plain(double min_seconds) {
    return time_repeated([&] { state_->conv.run_on_plain(state_->plain_src, state_->plain_dst); }, 10, min_seconds);
}

std::string OnednnRival::implementation() const {
    return state_->conv.implementation();
}

std::vector<float> run_onednn_conv(const Layer &layer, const Shape4 &input, const float *x, const float *w,
                                   const float *b) {
    std::string problem = expressibility_problem(layer, input);
    if (!problem.empty()) {
        throw std::invalid_argument("run_onednn_conv: layer '" + layer.name + "': " + problem);
    }
    if (x == nullptr || w == nullptr || (layer.bias && b == nullptr)) {
        throw std::invalid_argument("run_onednn_conv: layer '" + layer.name + "': input, weight" +
                                    (layer.bias ? " and bias" : "") + " must not be null");
    }
    OnednnConv conv(layer, input, x, w, b, Tag::nchw);
    conv.run();
    return conv.output_plain();
}

}  // namespace convc
