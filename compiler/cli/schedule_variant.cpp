#include "schedule_variant.h"

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <vector>

#include "schedules/choose_schedule.h"
#include "spec/did_you_mean.h"
#include "spec/spec_error.h"

namespace convc {

namespace {

SpecError variant_error(const std::string &option, const std::string &message) {
    return SpecError({"", 0, 0}, option, message);
}

std::vector<std::string> parameter_names(const std::string &family, const Layer &layer, const Halide::Target &target) {
    std::vector<std::string> names;
    for (const ScheduleSpace &space : schedule_spaces(layer, target)) {
        if (space.family == family) {
            for (const ParamRange &range : space.params) {
                names.push_back(range.name);
            }
        }
    }
    return names;
}

std::string joined(const std::vector<std::string> &words) {
    std::string text;
    for (const std::string &word : words) {
        text += (text.empty() ? "" : ", ") + word;
    }
    return text;
}

}  // namespace

ScheduleChoice parse_variant(const std::string &text, const Layer &layer, const Halide::Target &target,
                             const std::string &option) {
    const ScheduleChoice fallback = default_schedule(layer, target);
    ScheduleChoice wanted{fallback.family, {}};
    bool family_given = false;
    std::stringstream items(text);
    for (std::string item; std::getline(items, item, ',');) {
        size_t eq = item.find('=');
        std::string name = item.substr(0, eq), value = eq == std::string::npos ? "" : item.substr(eq + 1);
        if (name.empty() || value.empty()) {
            throw variant_error(option, "'" + item + "' in '" + text + "' is not name=value");
        }
        if (name == "family") {
            wanted.family = value;
            family_given = true;
            continue;
        }
        char *end = nullptr;
        long number = std::strtol(value.c_str(), &end, 10);
        if (*end != '\0') {
            throw variant_error(option, "'" + value + "' (" + name + " in '" + text + "') is not an integer");
        }
        wanted.params[name] = static_cast<int>(number);
    }
    if (!family_given) {
        wanted.params.insert(fallback.params.begin(), fallback.params.end());
    }
    std::vector<std::string> names = parameter_names(wanted.family, layer, target);
    for (const auto &[name, value] : wanted.params) {
        if (std::find(names.begin(), names.end(), name) == names.end() && !names.empty()) {
            throw variant_error(option, "family " + wanted.family + " has no parameter '" + name + "'" +
                                did_you_mean(name, names) + "; its parameters: " + joined(names));
        }
    }
    std::optional<ScheduleChoice> completed = complete_schedule(wanted, layer, target);
    if (!completed) {
        std::vector<std::string> families;
        for (const ScheduleSpace &space : schedule_spaces(layer, target)) {
            families.push_back(space.family);
        }
        throw variant_error(option, "'" + text + "' (" + wanted.to_string() + ") fits no schedule space of layer " +
                            layer.name + " on this target; its families: " + joined(families));
    }
    return *completed;
}

std::string variant_text(const ScheduleChoice &choice) {
    std::string text = "family=" + choice.family;
    for (const auto &[name, value] : choice.params) {
        text += "," + name + "=" + std::to_string(value);
    }
    return text;
}

}  // namespace convc
