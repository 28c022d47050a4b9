#include "schedules/schedule_choice.h"

#include <stdexcept>

namespace convc {

int ScheduleChoice::param(const std::string &name) const {
    auto it = params.find(name);
    if (it == params.end()) {
        throw std::out_of_range("schedule family " + family + " has no parameter '" + name + "'");
    }
    return it->second;
}

const std::vector<int> &ScheduleSpace::values(const std::string &name) const {
    for (const ParamRange &p : params) {
        if (p.name == name) {
            return p.values;
        }
    }
    throw std::out_of_range("schedule family " + family + " has no parameter '" + name + "'");
}

std::string ScheduleChoice::to_string() const {
    std::string text = family + "(";
    bool first = true;
    for (const auto &[name, value] : params) {
        text += (first ? "" : ", ") + name + "=" + std::to_string(value);
        first = false;
    }
    return text + ")";
}

bool ScheduleChoice::operator==(const ScheduleChoice &other) const {
    return family == other.family && params == other.params;
}

}  // namespace convc
