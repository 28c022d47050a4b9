#pragma once

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "schedules/schedule_choice.h"

namespace convc {

// The order in which the tuner tries schedules: the heuristic default first, then the
// seeds (an earlier result, Halide's autoschedulers), then the one-parameter steps away from
// the best so far (a hill climb), with every fourth proposal a step away from the best point
// of another family (the others in turn, best scored first); either climb takes the other's
// turns once its steps are spent, and where neither has a step left, a random point of a
// random family's space. Never proposes a point twice or one that fits no space. Seeded, so a
// run is repeatable.
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
    // Untried one-parameter steps away from a point, refilled when the point changes.
    struct Climb {
        std::vector<ScheduleChoice> steps;
        std::string from;
    };

    ScheduleChoice random_point();
    std::vector<ScheduleChoice> steps_from(const ScheduleChoice &point);
    bool take_step(Climb &climb, const ScheduleChoice &point, ScheduleChoice &candidate);
    bool step_in_another_family(ScheduleChoice &candidate);
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
    std::map<std::string, std::pair<ScheduleChoice, double>> family_best_;
    Climb leader_climb_;
    std::map<std::string, Climb> family_climbs_;  // the other families', from their best
    int other_family_turns_ = 0;
    std::mt19937 rng_;
    int proposals_ = 0;
};

}  // namespace convc
