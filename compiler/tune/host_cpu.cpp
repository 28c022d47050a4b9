#include "tune/host_cpu.h"

#include <fstream>
#include <map>
#include <sstream>

namespace convc {

namespace {

// "key<tabs>: value" lines up to the first blank line (the first processor).
std::map<std::string, std::string> first_processor_fields(const std::string &cpuinfo) {
    std::map<std::string, std::string> fields;
    std::istringstream in(cpuinfo);
    for (std::string line; std::getline(in, line) && !line.empty();) {
        size_t colon = line.find(':');
        if (colon == std::string::npos) {
            continue;
        }
        auto trim = [](std::string s) {
            size_t first = s.find_first_not_of(" \t"), last = s.find_last_not_of(" \t");
            return first == std::string::npos ? std::string() : s.substr(first, last - first + 1);
        };
        fields[trim(line.substr(0, colon))] = trim(line.substr(colon + 1));
    }
    return fields;
}

}  // namespace

std::string cpu_name_from_cpuinfo(const std::string &cpuinfo) {
    std::map<std::string, std::string> f = first_processor_fields(cpuinfo);
    std::string name = f["model name"];
    std::string numbers;
    if (!f["vendor_id"].empty() && !f["cpu family"].empty() && !f["model"].empty()) {
        numbers = f["vendor_id"] + " family " + f["cpu family"] + " model " + f["model"];
    }
    if (name.empty() || numbers.empty()) {
        return name.empty() ? numbers : name;
    }
    return name + " (" + numbers + ")";
}

std::string host_cpu_name() {
    static const std::string name = [] {
        std::ifstream in("/proc/cpuinfo");
        std::stringstream text;
        text << in.rdbuf();
        return cpu_name_from_cpuinfo(text.str());
    }();
    return name;
}

}  // namespace convc
