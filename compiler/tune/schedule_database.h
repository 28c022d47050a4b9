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
};

// The tuned-schedule database: a human-readable YAML file, one entry per (layer signature,
// target, Halide version). A layer's name is not part of its signature, so the same shape
// in another spec finds the same entry. Saving writes a temporary file and renames it, so
// an interrupted tuning run never leaves a corrupt database.
class ScheduleDatabase {
public:
    // A missing file is an empty database; a malformed one is a SpecError naming file and line.
    static ScheduleDatabase load(const std::string &path);

    std::optional<TunedEntry> find(const Layer &layer, const Halide::Target &target) const;
    // The schedules stored for other layers on the same target and Halide, nearest first: the
    // more fields of its signature an entry shares with this layer's and the fewer it does not,
    // the nearer; the same shape in the other layout comes first. Ties keep signature order, so
    // a tuning run is repeatable.
    std::vector<ScheduleChoice> nearest_schedules(const Layer &layer, const Halide::Target &target) const;
    void store(const Layer &layer, const Halide::Target &target, const TunedEntry &entry);
    void save() const;

    const std::string &path() const { return path_; }
    size_t size() const { return entries_.size(); }

private:
    struct Key {
        std::string layer, target, halide;
        bool operator<(const Key &o) const { return std::tie(layer, target, halide) < std::tie(o.layer, o.target, o.halide); }
    };
    static Key key_of(const Layer &layer, const Halide::Target &target);

    std::string path_;
    std::map<Key, TunedEntry> entries_;
};

// The layer's shape and options as the database keys them.
std::string layer_signature(const Layer &layer);

}  // namespace convc
