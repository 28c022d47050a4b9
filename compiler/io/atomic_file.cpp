#include "io/atomic_file.h"

#include <filesystem>
#include <fstream>
#include <system_error>

#include <unistd.h>

#include "spec/spec_error.h"

namespace fs = std::filesystem;

namespace convc {

namespace {

std::string unique_suffix() {
    return ".convc-tmp-" + std::to_string(::getpid());
}

}  // namespace

void write_file_atomically(const std::string &path, const std::string &contents) {
    std::string temporary = path + unique_suffix();
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
        out.close();
        if (!out) {
            std::error_code ignored;
            fs::remove(temporary, ignored);
            throw SpecError({path, 0, 0}, "", "cannot write the file");
        }
    }
    std::error_code error;
    fs::rename(temporary, path, error);
    if (error) {
        fs::remove(temporary, error);
        throw SpecError({path, 0, 0}, "", "cannot move the finished file into place");
    }
}

StagedDirectory::StagedDirectory(std::string final_dir)
    : final_dir_(fs::path(final_dir).lexically_normal().string()) {
    if (!final_dir_.empty() && final_dir_.back() == '/') {
        final_dir_.pop_back();
    }
    fs::path parent = fs::path(final_dir_).parent_path();
    std::string leaf = fs::path(final_dir_).filename().string();
    staging_dir_ = (parent / ("." + leaf + unique_suffix())).string();
    std::error_code error;
    // Remember the outermost folder that does not exist yet, to remove it if nothing is committed.
    for (fs::path p = parent; !p.empty() && !fs::exists(p, error); p = p.parent_path()) {
        created_parent_ = p.string();
    }
    if (!parent.empty()) {
        fs::create_directories(parent, error);
    }
    fs::remove_all(staging_dir_, error);
    if (!fs::create_directories(staging_dir_, error) || error) {
        throw SpecError({final_dir_, 0, 0}, "", "cannot create the output folder: " + error.message());
    }
}

StagedDirectory::~StagedDirectory() {
    std::error_code ignored;
    fs::remove_all(staging_dir_, ignored);
    if (!committed_ && !created_parent_.empty()) {
        fs::remove_all(created_parent_, ignored);
    }
}

std::string StagedDirectory::path_of(const std::string &file_name) const {
    return (fs::path(staging_dir_) / file_name).string();
}

void StagedDirectory::commit() {
    std::error_code error;
    fs::create_directories(final_dir_, error);
    if (error) {
        throw SpecError({final_dir_, 0, 0}, "", "cannot create the output folder: " + error.message());
    }
    for (const auto &entry : fs::directory_iterator(staging_dir_)) {
        fs::rename(entry.path(), fs::path(final_dir_) / entry.path().filename(), error);
        if (error) {
            throw SpecError({final_dir_, 0, 0}, "", "cannot move " + entry.path().filename().string() +
                                                        " into place: " + error.message());
        }
    }
    committed_ = true;
}

}  // namespace convc
