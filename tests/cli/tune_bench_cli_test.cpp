// `convc tune` and `convc bench` as a user runs them: the database they write, what
// `generate` then reads, interruption, and the reports.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "convc_command.h"

namespace {

namespace fs = std::filesystem;

using Result = convc_test::CommandResult;

Result sh(const std::string &command) {
    return convc_test::run_shell(command);
}

std::string convc() {
    return std::string("'") + CONVC_EXECUTABLE + "'";
}

std::string seed_spec() {
    return std::string("'") + CONVC_SOURCE_DIR + "/specs/examples/seed_example.yaml'";
}

std::string read(const fs::path &path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

class TuneBench : public ::testing::Test {
protected:
    convc_test::TempDir temp_{"convc-tune"};
    const fs::path &dir_ = temp_.path();
};

TEST_F(TuneBench, TuneWritesTheDatabaseThatGenerateReads) {
    fs::path db = dir_ / "db" / "tuned.yaml";
    Result tune = sh(convc() + " tune " + seed_spec() + " --budget 4s --db '" + db.string() + "'");
    ASSERT_EQ(tune.status, 0) << tune.output;
    EXPECT_NE(tune.output.find("candidates"), std::string::npos) << tune.output;
    // Into a pipe, as in a CI log, the status comes as whole lines (tune_progress.h).
    EXPECT_EQ(tune.output.find('\r'), std::string::npos) << tune.output;
    std::string text = read(db);
    // conv_pad1 and conv_same resolve to the same shape: one entry serves both.
    EXPECT_NE(text.find("kernel=3x3 stride=1x1 dilation=1x1 groups=1 pad=1,1,1,1"), std::string::npos) << text;
    EXPECT_NE(text.find("pad=0,0,0,0"), std::string::npos) << text;

    Result generate = sh(convc() + " generate " + seed_spec() + " --db '" + db.string() + "' -o '" +
                         (dir_ / "out").string() + "'");
    ASSERT_EQ(generate.status, 0) << generate.output;
    EXPECT_NE(generate.output.find("conv_same: tuned (database)"), std::string::npos) << generate.output;
    Result forced = sh(convc() + " generate " + seed_spec() + " --db '" + db.string() + "' --schedule default -o '" +
                       (dir_ / "out2").string() + "'");
    EXPECT_EQ(forced.output.find("tuned (database)"), std::string::npos) << forced.output;
}

// --layer narrows tune and bench to the layers named, as when bench names a stale entry; a
// name the spec lacks is refused with the closest one.
TEST_F(TuneBench, LayerNarrowsTuneAndBenchToTheLayersNamed) {
    fs::path db = dir_ / "tuned.yaml";
    Result tune = sh(convc() + " tune " + seed_spec() + " --layer conv_same --budget 2s --db '" + db.string() + "'");
    ASSERT_EQ(tune.status, 0) << tune.output;
    EXPECT_NE(tune.output.find("1 layer(s) tuned"), std::string::npos) << tune.output;
    EXPECT_NE(tune.output.find("conv_same"), std::string::npos) << tune.output;
    EXPECT_EQ(tune.output.find("conv_pad1"), std::string::npos) << tune.output;
    Result bench = sh(convc() + " bench " + seed_spec() + " -l conv_valid -l conv_same --threads 1 --vs none -o '" +
                      dir_.string() + "' --db '" + db.string() + "'");
    ASSERT_EQ(bench.status, 0) << bench.output;
    std::string csv = read(dir_ / "results.csv");
    EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 3) << csv;  // the header and the two layers
    EXPECT_LT(csv.find("\nconv_valid,"), csv.find("\nconv_same,")) << csv;  // in the spec's order
    EXPECT_EQ(csv.find("conv_pad1"), std::string::npos) << csv;
    for (const char *verb : {" tune ", " bench "}) {
        Result unknown = sh(convc() + verb + seed_spec() + " --layer conv_pad --db '" + db.string() + "'");
        EXPECT_EQ(unknown.status, 2) << unknown.output;
        EXPECT_NE(unknown.output.find("'--layer'"), std::string::npos) << unknown.output;
        EXPECT_NE(unknown.output.find("did you mean 'conv_pad1'"), std::string::npos) << unknown.output;
    }
}

TEST_F(TuneBench, AnInterruptedTuneLeavesAUsableDatabase) {
    fs::path db = dir_ / "tuned.yaml";
    std::string suite = std::string("'") + CONVC_SOURCE_DIR + "/specs/examples/resnet_blocks.yaml'";
    sh("timeout -s INT 6 " + convc() + " tune " + suite + " --budget 600s --db '" + db.string() + "'");
    Result generate = sh(convc() + " generate " + suite + " --db '" + db.string() + "' -o '" + (dir_ / "out").string() + "'");
    EXPECT_EQ(generate.status, 0) << generate.output;
    for (const auto &entry : fs::directory_iterator(dir_)) {
        EXPECT_EQ(entry.path().filename().string().find("convc-tmp"), std::string::npos) << entry.path();
    }
}

TEST_F(TuneBench, TargetsThatDoNotRunHereKeepDefaults) {
    fs::path db = dir_ / "tuned.yaml";
    Result tune = sh(convc() + " tune " + seed_spec() + " --target arm --budget 2s --db '" + db.string() + "'");
    ASSERT_EQ(tune.status, 0) << tune.output;
    EXPECT_NE(tune.output.find("heuristic default"), std::string::npos) << tune.output;
}

// CUDA tunes and benchmarks on a usable GPU and says why not elsewhere; oneDNN is no GPU rival.
TEST_F(TuneBench, CudaTunesWhereAGpuIsUsableAndSaysSoWhereNot) {
    bool gpu = sh(convc() + " targets").output.find("CUDA device found") != std::string::npos;
    fs::path db = dir_ / "tuned.yaml";
    Result tune = sh(convc() + " tune " + seed_spec() + " --target cuda --budget 3s --db '" + db.string() + "'");
    ASSERT_EQ(tune.status, 0) << tune.output;
    EXPECT_NE(tune.output.find(gpu ? "3 layer(s) tuned" : "needs a GPU this machine does not have"), std::string::npos)
        << tune.output;
    Result bench = sh(convc() + " bench " + seed_spec() + " --target cuda --threads 1");
    EXPECT_EQ(bench.status, 2) << bench.output;
    EXPECT_NE(bench.output.find(gpu ? "'--vs'" : "'--target'"), std::string::npos) << bench.output;
}

TEST_F(TuneBench, BadBudgetAndThreadsAreRefused) {
    Result budget = sh(convc() + " tune " + seed_spec() + " --budget soon");
    EXPECT_EQ(budget.status, 2) << budget.output;
    EXPECT_NE(budget.output.find("'--budget'"), std::string::npos) << budget.output;
    Result threads = sh(convc() + " bench " + seed_spec() + " --threads 0");
    EXPECT_EQ(threads.status, 2) << threads.output;
    EXPECT_NE(threads.output.find("'--threads'"), std::string::npos) << threads.output;
}

// compare and time-schedules share these checks (cli/layer_timing_options.cpp); each is made
// before the spec is read.
TEST_F(TuneBench, TimingVerbsRefuseRoundsAndSecondsThatAreNotPositive) {
    for (auto [verb, schedules] : {std::pair{"compare", ""}, std::pair{"time-schedules", " -s x_vectors=1"}}) {
        for (auto [option, value] : {std::pair{"--rounds", "0"}, std::pair{"--seconds", "0"},
                                     std::pair{"--seconds", "-1"}}) {
            Result r = sh(convc() + " " + verb + " " + seed_spec() + " --layer conv_pad1 " + option + " " + value +
                          schedules);
            EXPECT_EQ(r.status, 2) << verb << " " << option << " " << value << ":\n" << r.output;
            EXPECT_NE(r.output.find(std::string("'") + option + "'"), std::string::npos) << r.output;
            EXPECT_NE(r.output.find("must be positive"), std::string::npos) << r.output;
        }
    }
}

// Side by side: the default first, then each variant, every one timed once per round.
TEST_F(TuneBench, CompareTimesTheDefaultAndVariantsInTurns) {
    Result r = sh(convc() + " compare " + seed_spec() +
                  " --layer conv_pad1 -v x_vectors=1 -v tile_k=1,tasks=1 --rounds 2 --seconds 0.01 --db '" +
                  (dir_ / "empty.yaml").string() + "'");
    ASSERT_EQ(r.status, 0) << r.output;
    for (const char *row : {"\n1      default", "\n1      variant 1", "\n2      variant 2", "\nbest   variant 2"}) {
        EXPECT_NE(r.output.find(row), std::string::npos) << row << " missing from:\n" << r.output;
    }
    EXPECT_NE(r.output.find("x_vectors=1"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("of the default"), std::string::npos) << r.output;
}

// What `tune` runs to time its pick against the default in a second process: a line per
// schedule, in the order given, that tune reads back (cli/other_process_timing.cpp).
TEST_F(TuneBench, TimeSchedulesPrintsALinePerScheduleForTune) {
    Result r = sh(convc() + " time-schedules " + seed_spec() +
                  " --layer conv_pad1 -s x_vectors=1 -s tile_k=1,tasks=1 --rounds 1 --seconds 0.01");
    ASSERT_EQ(r.status, 0) << r.output;
    for (const char *index : {"timed 0 ", "timed 1 "}) {
        size_t at = r.output.find(index);
        ASSERT_NE(at, std::string::npos) << r.output;
        double threads_here = 0, one_thread = 0;
        std::istringstream(r.output.substr(at + 8)) >> threads_here >> one_thread;
        EXPECT_GT(threads_here, 0) << r.output;
        EXPECT_GT(one_thread, 0) << r.output;
    }
    Result help = sh(convc() + " --help");
    EXPECT_EQ(help.output.find("time-schedules"), std::string::npos) << help.output;  // not a user's verb
    Result bad = sh(convc() + " time-schedules " + seed_spec() + " --layer conv_pad1 -s x_vectors=two");
    EXPECT_EQ(bad.status, 2) << bad.output;
    EXPECT_NE(bad.output.find("'--schedule'"), std::string::npos) << bad.output;
}

TEST_F(TuneBench, CompareRefusesAVariantOutsideTheSpaces) {
    for (const char *variant : {"x_pixels=4", "x_vectors=5", "x_vectors=two", "family=nope", "tasks"}) {
        Result r = sh(convc() + " compare " + seed_spec() + " --layer conv_pad1 -v " + variant);
        EXPECT_EQ(r.status, 2) << variant << ":\n" << r.output;
        EXPECT_NE(r.output.find("'--variant'"), std::string::npos) << r.output;
    }
    Result unknown_layer = sh(convc() + " compare " + seed_spec() + " --layer conv_pad");
    EXPECT_EQ(unknown_layer.status, 2) << unknown_layer.output;
    EXPECT_NE(unknown_layer.output.find("did you mean 'conv_pad1'"), std::string::npos) << unknown_layer.output;
}

TEST_F(TuneBench, BenchComparesWithOnednnAndWritesCsvAndChart) {
    Result bench = sh(convc() + " bench " + seed_spec() + " --threads 1 --schedule default -o '" + dir_.string() + "'");
    ASSERT_EQ(bench.status, 0) << bench.output;
    EXPECT_NE(bench.output.find("geometric mean speed-up over oneDNN"), std::string::npos) << bench.output;
    EXPECT_NE(bench.output.find("FMA peak measured"), std::string::npos) << bench.output;
    std::string csv = read(dir_ / "results.csv");
    EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 4) << csv;  // header + 3 layers
    EXPECT_NE(csv.find("conv_valid,1,"), std::string::npos) << csv;
    // Each row says how far its turns were apart: the slowest turn's median over the fastest's.
    std::istringstream lines(csv);
    std::string header, row;
    std::getline(lines, header);
    EXPECT_NE(header.find(",convc_turn_spread,onednn_turn_spread"), std::string::npos) << header;
    while (std::getline(lines, row)) {
        size_t last = row.rfind(','), before = row.rfind(',', last - 1);
        EXPECT_GE(std::stod(row.substr(before + 1, last - before - 1)), 1.0) << row;
        EXPECT_GE(std::stod(row.substr(last + 1)), 1.0) << row;
    }
    std::string svg = read(dir_ / "results.svg");
    EXPECT_EQ(svg.rfind("<svg", 0), 0u);
    EXPECT_NE(svg.find("oneDNN 1 thread"), std::string::npos);
}

}  // namespace
