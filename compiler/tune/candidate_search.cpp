#include "tune/candidate_search.h"

#include <algorithm>

#include "schedules/cpu_conv_space.h"

namespace convc {

namespace {

// Random draws that keep landing on tried or unfitting points mean the space is spent.
constexpr int kMaxDraws = 200;

size_t space_size(const std::vector<ScheduleSpace> &spaces) {
    size_t total = 0;
    for (const ScheduleSpace &space : spaces) {
        size_t size = 1;
        for (const ParamRange &p : space.params) {
            size *= p.values.size();
        }
        total += size;
    }
    return total;
}

}  // namespace

CandidateSearch::CandidateSearch(std::vector<ScheduleSpace> spaces, ScheduleChoice start,
                                 std::vector<ScheduleChoice> seeds, unsigned seed)
    : spaces_(std::move(spaces)),
      start_(std::move(start)),
      seeds_(std::move(seeds)),
      seed_count_(std::count_if(seeds_.begin(), seeds_.end(),
                                [&](const ScheduleChoice &c) { return !fits_any_space(c, spaces_); })),
      best_(start_),
      rng_(seed) {
}

bool CandidateSearch::fresh(const ScheduleChoice &c) const {
    return !tried_.count(c.to_string()) && fits_any_space(c, spaces_);
}

const ScheduleSpace &CandidateSearch::space_of(const ScheduleChoice &choice) const {
    for (const ScheduleSpace &space : spaces_) {
        if (space.family == choice.family) {
            return space;
        }
    }
    return spaces_.front();
}

ScheduleChoice CandidateSearch::random_point() {
    std::uniform_int_distribution<size_t> family(0, spaces_.size() - 1);
    const ScheduleSpace &space = spaces_[family(rng_)];
    ScheduleChoice c{space.family, {}};
    for (const ParamRange &p : space.params) {
        std::uniform_int_distribution<size_t> pick(0, p.values.size() - 1);
        c.params[p.name] = p.values[pick(rng_)];
    }
    return c;
}

// Every one-parameter step (to the next value up or down) away from `point`, in an order
// shuffled by the search's generator. Trying them all before wandering is what finds the wins
// of a short budget: on the Skylake-SP host (2026-11-26) about ten candidates a layer, half of
// them random points, left the 1x1 stride-2 layer on a default that its one-step neighbour
// stage_rows 1 beat 1.24-1.49x side by side.
std::vector<ScheduleChoice> CandidateSearch::steps_from(const ScheduleChoice &point) {
    std::vector<ScheduleChoice> steps;
    const ScheduleSpace &space = space_of(point);
    if (space.family != point.family) {
        return steps;
    }
    for (const ParamRange &p : space.params) {
        auto value = point.params.find(p.name);
        if (value == point.params.end()) {
            continue;
        }
        auto at = std::find(p.values.begin(), p.values.end(), value->second);
        if (at == p.values.end()) {
            continue;
        }
        size_t index = static_cast<size_t>(at - p.values.begin());
        for (size_t to : {index - 1, index + 1}) {  // index - 1 wraps past the end at 0
            if (to < p.values.size()) {
                ScheduleChoice c = point;
                c.params[p.name] = p.values[to];
                steps.push_back(c);
            }
        }
    }
    std::shuffle(steps.begin(), steps.end(), rng_);
    return steps;
}

bool CandidateSearch::take_step(Climb &climb, const ScheduleChoice &point, ScheduleChoice &candidate) {
    if (climb.from != point.to_string()) {
        climb.steps = steps_from(point);
        climb.from = point.to_string();
    }
    while (!climb.steps.empty()) {
        ScheduleChoice c = climb.steps.back();
        climb.steps.pop_back();
        if (fresh(c)) {
            candidate = c;
            return true;
        }
    }
    return false;
}

// A climb from the default never leaves its family, and another family's best point can be
// several steps from that family's default: ResNet-50's 1x1 stride-2 layer on the AMD EPYC
// (2026-11-28), whose flat-pixel default mostly timed below the direct family's entry, while
// four steps away (channel chunks of 64 to none, two channel blocks) it ran 1.24x / 1.13x as
// fast (two threads / one, medians of 12 rounds side by side). Two 60-90 s tunes that
// climbed from the direct family's entry alone kept it. The other families take turns, so
// that one whose default times worst still climbs.
bool CandidateSearch::step_in_another_family(ScheduleChoice &candidate) {
    std::vector<std::pair<double, const ScheduleChoice *>> others;
    for (const auto &[family, scored] : family_best_) {
        if (family != best_.family && space_of(scored.first).family == family) {
            others.emplace_back(scored.second, &scored.first);
        }
    }
    std::stable_sort(others.begin(), others.end(), [](const auto &x, const auto &y) { return x.first > y.first; });
    for (size_t i = 0; i < others.size(); i++) {
        const ScheduleChoice &point = *others[(other_family_turns_ + i) % others.size()].second;
        if (take_step(family_climbs_[point.family], point, candidate)) {
            other_family_turns_++;
            return true;
        }
    }
    return false;
}

bool CandidateSearch::next(ScheduleChoice &candidate) {
    if (proposals_++ == 0 && fresh(start_)) {
        candidate = start_;
        tried_.insert(candidate.to_string());
        return true;
    }
    // Seeds: earlier results and points outside the declared spaces (an autoscheduler has no
    // parameters).
    while (!seeds_.empty()) {
        candidate = seeds_.front();
        seeds_.erase(seeds_.begin());
        if (tried_.insert(candidate.to_string()).second) {
            return true;
        }
    }
    if (tried_.size() >= space_size(spaces_) + seed_count_) {
        return false;
    }
    // Three proposals in four step away from the best, the fourth away from another family's
    // best; either takes the other's turn once its steps are spent, and a random point of a
    // random family comes when both are.
    const bool leader_turn = proposals_ % 4 != 0;
    if ((leader_turn && take_step(leader_climb_, best_, candidate)) || step_in_another_family(candidate) ||
        (!leader_turn && take_step(leader_climb_, best_, candidate))) {
        tried_.insert(candidate.to_string());
        return true;
    }
    for (int draw = 0; draw < kMaxDraws; draw++) {
        ScheduleChoice c = random_point();
        if (fresh(c)) {
            candidate = c;
            tried_.insert(c.to_string());
            return true;
        }
    }
    return false;
}

std::vector<std::pair<ScheduleChoice, double>> CandidateSearch::leaders(size_t count) const {
    std::vector<std::pair<ScheduleChoice, double>> ranked = scored_;
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
    ranked.resize(std::min(count, ranked.size()));
    return ranked;
}

void CandidateSearch::report(const ScheduleChoice &candidate, double score) {
    scored_.emplace_back(candidate, score);
    auto [at, added] = family_best_.try_emplace(candidate.family, candidate, score);
    if (!added && score > at->second.second) {
        at->second = {candidate, score};
    }
    if (score > best_score_) {
        best_score_ = score;
        best_ = candidate;
    }
}

}  // namespace convc
