#pragma once

#include <string>
#include <vector>

namespace convc {

// Writes `contents` to a temporary file beside `path` and renames it into place, so a
// crash or an error never leaves a half-written file under the final name.
void write_file_atomically(const std::string &path, const std::string &contents);

// A folder of outputs that appear all together or not at all: files are written into a
// hidden staging folder beside `final_dir` and moved into place by commit(). Without a
// commit (an error on the way), the staging folder is removed and nothing is left.
class StagedDirectory {
public:
    explicit StagedDirectory(std::string final_dir);
    ~StagedDirectory();
    StagedDirectory(const StagedDirectory &) = delete;
    StagedDirectory &operator=(const StagedDirectory &) = delete;

    // Where to write `file_name` now.
    std::string path_of(const std::string &file_name) const;
    const std::string &staging_dir() const { return staging_dir_; }

    // Moves every staged file into the final folder (creating it), replacing older versions.
    void commit();

private:
    std::string final_dir_;
    std::string staging_dir_;
    std::string created_parent_;  // the first folder above final_dir this object created, if any
    bool committed_ = false;
};

}  // namespace convc
