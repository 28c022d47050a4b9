#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "Halide.h"

#include "schedules/schedule_choice.h"
#include "spec/layer.h"

namespace convc {

// What `convc tune` found for one layer shape on one target.
struct TunedEntry {
    ScheduleChoice schedule;
    double gflops = 0;          // the tuned schedule, measured by the tuner
    double default_gflops = 0;  // the heuristic default, same run
    int threads = 0;
    int candidates = 0;
    std::string cpu;  // the processor it was tuned on (host_cpu.h); empty where not recorded
};

// The tuned-schedule database: a human-readable YAML file, one entry per (layer signature,
// target, Halide version, processor). A layer's name is not part of its signature, so the
// same shape in another spec finds the same entry. The processor tells apart machines that
// share a Halide target string; an entry tuned on another one is still a tuned schedule for
// the target, and serves where this machine has none of its own. Saving writes a temporary
// file and renames it, so an interrupted tuning run never leaves a corrupt database.
class ScheduleDatabase {
public:
    // A missing file is an empty database; a malformed one is a SpecError naming file and line.
    static ScheduleDatabase load(const std::string &path);

    // This machine's entry for the layer and target; else one whose processor is not recorded;
    // else another processor's (the first by name).
    std::optional<TunedEntry> find(const Layer &layer, const Halide::Target &target) const;
    // The schedules stored for other layers on the same target and Halide, nearest first: the
    // more fields of its signature an entry shares with this layer's and the fewer it does not,
    // the nearer; the same shape in the other layout comes first. Ties keep signature order, so
    // a tuning run is repeatable.
    std::vector<ScheduleChoice> nearest_schedules(const Layer &layer, const Halide::Target &target) const;
    // Keyed by the entry's `cpu` too: another processor's entry for the layer stays.
    void store(const Layer &layer, const Halide::Target &target, const TunedEntry &entry);
    void save() const;

    const std::string &path() const { return path_; }
    // The processor whose entries find() prefers: this machine's (host_cpu_name()) unless set.
    const std::string &host_cpu() const { return host_cpu_; }
    void set_host_cpu(std::string cpu) { host_cpu_ = std::move(cpu); }
    size_t size() const { return entries_.size(); }

private:
    struct Key {
        std::string layer, target, halide, cpu;
        bool operator<(const Key &o) const {
            return std::tie(layer, target, halide, cpu) < std::tie(o.layer, o.target, o.halide, o.cpu);
        }
    };
    static Key key_of(const Layer &layer, const Halide::Target &target, const std::string &cpu);

    std::string path_;
    std::string host_cpu_;
    std::map<Key, TunedEntry> entries_;
};

// The layer's shape and options as the database keys them.
std::string layer_signature(const Layer &layer);

}  // namespace convc
