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

ScheduleChoice CandidateSearch::neighbour_of_best() {
    ScheduleChoice c = best_;
    const ScheduleSpace &space = space_of(best_);
    if (space.family != best_.family) {
        return random_point();
    }
    std::uniform_int_distribution<size_t> which(0, space.params.size() - 1);
    const ParamRange &p = space.params[which(rng_)];
    auto at = std::find(p.values.begin(), p.values.end(), c.params[p.name]);
    size_t index = at == p.values.end() ? 0 : static_cast<size_t>(at - p.values.begin());
    bool up = std::bernoulli_distribution(0.5)(rng_);
    if (up && index + 1 < p.values.size()) {
        index++;
    } else if (!up && index > 0) {
        index--;
    }
    c.params[p.name] = p.values[index];
    return c;
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
    for (int draw = 0; draw < kMaxDraws; draw++) {
        ScheduleChoice c = (draw + proposals_) % 2 ? neighbour_of_best() : random_point();
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
    if (score > best_score_) {
        best_score_ = score;
        best_ = candidate;
    }
}

}  // namespace convc
