#include "tune/schedule_database.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iterator>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "io/atomic_file.h"
#include "tune/host_cpu.h"
#include "spec/layer_geometry.h"
#include "spec/spec_error.h"

namespace convc {

namespace {

// Tuned schedules are only valid for the Halide that compiled them.
const std::string kHalideVersion = std::to_string(CONVC_HALIDE_VERSION_MAJOR);

std::string pair_text(const HW &hw) {
    return std::to_string(hw.h) + "x" + std::to_string(hw.w);
}

TunedEntry read_entry(const YAML::Node &node) {
    TunedEntry e;
    e.schedule.family = node["schedule"].as<std::string>();
    for (const auto &param : node["params"]) {
        e.schedule.params[param.first.as<std::string>()] = param.second.as<int>();
    }
    e.gflops = node["gflops"].as<double>(0);
    e.default_gflops = node["default_gflops"].as<double>(0);
    e.threads = node["threads"].as<int>(0);
    e.candidates = node["candidates"].as<int>(0);
    e.cpu = node["cpu"].as<std::string>("");
    return e;
}

// How alike two layer signatures are: the space-separated fields they share, less those that
// only one of them has. A field with another value counts against them twice (each side has
// its own), a field that one lacks (`layout=nhwc`) once: so the same shape in the other layout
// is nearer than a layer with another stride.
int likeness(const std::string &a, const std::string &b) {
    auto fields = [](const std::string &signature) {
        std::istringstream in(signature);
        return std::set<std::string>{std::istream_iterator<std::string>(in), std::istream_iterator<std::string>()};
    };
    std::set<std::string> first = fields(a), second = fields(b);
    int shared = static_cast<int>(
        std::count_if(first.begin(), first.end(), [&](const std::string &field) { return second.count(field) > 0; }));
    int unshared = static_cast<int>(first.size() + second.size()) - 2 * shared;
    return shared - unshared;
}

std::string rounded(double value) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(1) << value;
    return s.str();
}

}  // namespace

std::string layer_signature(const Layer &layer) {
    Padding p = resolved_padding(layer);
    std::string input = "any";
    if (layer.input_shape) {
        const Shape4 &s = *layer.input_shape;
        input = std::to_string(s[0]) + "x" + std::to_string(s[1]) + "x" + std::to_string(s[2]) + "x" +
                std::to_string(s[3]);
    }
    return layer.op + " in=" + std::to_string(layer.in_channels) + " out=" + std::to_string(layer.out_channels) +
           " kernel=" + pair_text(layer.kernel) + " stride=" + pair_text(layer.stride) +
           " dilation=" + pair_text(layer.dilation) + " groups=" + std::to_string(layer.groups) + " pad=" +
           std::to_string(p.top) + "," + std::to_string(p.bottom) + "," + std::to_string(p.left) + "," +
           std::to_string(p.right) + " mode=" + padding_mode_name(layer.padding_mode) +
           " bias=" + (layer.bias ? "true" : "false") + " input=" + input +
           (layer.channels_last() ? " layout=nhwc" : "");
}

ScheduleDatabase::Key ScheduleDatabase::key_of(const Layer &layer, const Halide::Target &target,
                                               const std::string &cpu) {
    return {layer_signature(layer), target.to_string(), kHalideVersion, cpu};
}

ScheduleDatabase ScheduleDatabase::load(const std::string &path) {
    ScheduleDatabase db;
    db.path_ = path;
    db.host_cpu_ = host_cpu_name();
    if (!std::filesystem::exists(path)) {
        return db;
    }
    try {
        YAML::Node root = YAML::LoadFile(path);
        for (const YAML::Node &node : root["entries"]) {
            TunedEntry entry = read_entry(node);
            Key key{node["layer"].as<std::string>(), node["target"].as<std::string>(), node["halide"].as<std::string>(),
                    entry.cpu};
            db.entries_[key] = entry;
        }
    } catch (const YAML::Exception &e) {
        throw SpecError({path, e.mark.line + 1, e.mark.column + 1}, "", "malformed schedule database: " + e.msg);
    }
    return db;
}

std::optional<TunedEntry> ScheduleDatabase::find(const Layer &layer, const Halide::Target &target) const {
    for (const std::string &cpu : {host_cpu_, std::string()}) {
        if (auto it = entries_.find(key_of(layer, target, cpu)); it != entries_.end()) {
            return it->second;
        }
    }
    // Any processor's: the keys of one layer and target sort together, by processor.
    const Key any = key_of(layer, target, "");
    auto it = entries_.lower_bound(any);
    if (it != entries_.end() && it->first.layer == any.layer && it->first.target == any.target &&
        it->first.halide == any.halide) {
        return it->second;
    }
    return std::nullopt;
}

std::vector<ScheduleChoice> ScheduleDatabase::nearest_schedules(const Layer &layer,
                                                               const Halide::Target &target) const {
    const Key own = key_of(layer, target, host_cpu_);
    std::vector<std::pair<int, const TunedEntry *>> others;  // (likeness, entry), in key order
    for (const auto &[key, entry] : entries_) {
        if (key.target == own.target && key.halide == own.halide && key.layer != own.layer) {
            others.emplace_back(likeness(key.layer, own.layer), &entry);
        }
    }
    std::stable_sort(others.begin(), others.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
    std::vector<ScheduleChoice> nearest;
    for (const auto &other : others) {
        // Two processors' entries for a layer may hold the same schedule.
        if (std::find(nearest.begin(), nearest.end(), other.second->schedule) != nearest.end()) {
            continue;
        }
        nearest.push_back(other.second->schedule);
    }
    return nearest;
}

void ScheduleDatabase::store(const Layer &layer, const Halide::Target &target, const TunedEntry &entry) {
    entries_[key_of(layer, target, entry.cpu)] = entry;
}

void ScheduleDatabase::save() const {
    YAML::Emitter out;
    out << YAML::Comment(
        "convc tuned schedules: one entry per (layer signature, target, Halide version, processor).\n"
        "Written by `convc tune`; read by `convc generate`, `run` and `bench`.");
    out << YAML::BeginMap << YAML::Key << "entries" << YAML::Value << YAML::BeginSeq;
    for (const auto &[key, e] : entries_) {
        out << YAML::BeginMap;
        out << YAML::Key << "layer" << YAML::Value << key.layer;
        out << YAML::Key << "target" << YAML::Value << key.target;
        out << YAML::Key << "halide" << YAML::Value << key.halide;
        out << YAML::Key << "schedule" << YAML::Value << e.schedule.family;
        out << YAML::Key << "params" << YAML::Value << YAML::Flow << YAML::BeginMap;
        for (const auto &[name, value] : e.schedule.params) {
            out << YAML::Key << name << YAML::Value << value;
        }
        out << YAML::EndMap;
        out << YAML::Key << "gflops" << YAML::Value << rounded(e.gflops);
        out << YAML::Key << "default_gflops" << YAML::Value << rounded(e.default_gflops);
        out << YAML::Key << "threads" << YAML::Value << e.threads;
        out << YAML::Key << "candidates" << YAML::Value << e.candidates;
        if (!key.cpu.empty()) {
            out << YAML::Key << "cpu" << YAML::Value << key.cpu;
        }
        out << YAML::EndMap;
    }
    out << YAML::EndSeq << YAML::EndMap;
    std::filesystem::path parent = std::filesystem::path(path_).parent_path();
    if (!parent.empty()) {
        std::filesystem::create_directories(parent);
    }
    write_file_atomically(path_, std::string(out.c_str()) + "\n");
}

}  // namespace convc
