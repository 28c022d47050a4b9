#pragma once

#include <random>
#include <set>
#include <string>
#include <vector>

#include "schedules/schedule_choice.h"

namespace convc {

// The order in which the tuner tries schedules: the heuristic default first, then the
// seeds (an earlier result, Halide's autoschedulers), then the one-parameter steps away from
// the best so far (a hill climb), with every fourth proposal a random point of a random
// family's space. Never proposes a point twice or one that fits no space. Seeded, so a run
// is repeatable.
class CandidateSearch {
public:
    CandidateSearch(std::vector<ScheduleSpace> spaces, ScheduleChoice start, std::vector<ScheduleChoice> seeds = {},
                    unsigned seed = 2026);

    // The next untried candidate; false when the space is exhausted.
    bool next(ScheduleChoice &candidate);
    void report(const ScheduleChoice &candidate, double score);

    const ScheduleChoice &best() const { return best_; }
    double best_score() const { return best_score_; }
    // The `count` best-scored candidates reported so far, best first, with their scores.
    std::vector<std::pair<ScheduleChoice, double>> leaders(size_t count) const;

private:
    ScheduleChoice random_point();
    std::vector<ScheduleChoice> steps_from_best();
    bool take_step(ScheduleChoice &candidate);
    bool fresh(const ScheduleChoice &candidate) const;

    const ScheduleSpace &space_of(const ScheduleChoice &choice) const;

    std::vector<ScheduleSpace> spaces_;
    ScheduleChoice start_;
    std::vector<ScheduleChoice> seeds_;
    size_t seed_count_ = 0;  // seeds outside every space: tried, but not part of the space's size
    ScheduleChoice best_;
    double best_score_ = -1.0;
    std::vector<std::pair<ScheduleChoice, double>> scored_;
    std::set<std::string> tried_;
    std::vector<ScheduleChoice> steps_;  // untried steps away from the best, refilled when it changes
    std::string steps_of_;               // the best they step from
    std::mt19937 rng_;
    int proposals_ = 0;
};

}  // namespace convc
