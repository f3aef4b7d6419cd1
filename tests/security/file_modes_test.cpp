// Directories the toolkit creates are 0700 whatever the umask, and directories that already
// existed keep their mode. Every test runs under umask 000 (set in this process, inherited by
// the fake-juju and stub processes it starts), where mkdir(0777) would give 0777.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <jubilant/cassette.hpp>
#include <jubilant/errors.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/plugin_loader.hpp>
#include <jubilant/recorder.hpp>

#include "private_files.hpp"
#include "support/stub_executable.hpp"

using namespace jubilant;
using jubilant::test::mode_of;
using jubilant::test::ScopedEnv;
using jubilant::test::TempDir;
using jubilant::test::write_stub;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

namespace {

class FileModesTest : public ::testing::Test {
protected:
    void SetUp() override { old_umask_ = ::umask(0); }
    void TearDown() override { ::umask(old_umask_); }

    // A directory the user made before the toolkit ran, with a mode of their choosing.
    fs::path user_directory(const std::string& name, mode_t mode) {
        const fs::path dir = temp_.path() / name;
        fs::create_directory(dir);
        ::chmod(dir.c_str(), mode);
        return dir;
    }

    TempDir temp_;
    mode_t old_umask_ = 0;
};

}  // namespace

TEST_F(FileModesTest, UmaskZeroReallyGivesOpenDirectories) {
    // Guards the tests below: without the umask in force they would pass for the wrong reason.
    const fs::path dir = temp_.path() / "plain";
    fs::create_directories(dir);
    EXPECT_EQ(mode_of(dir), 0777U);
}

TEST_F(FileModesTest, CreatedDirectoriesAre0700AndExistingOnesKeepTheirMode) {
    const fs::path user = user_directory("user", 0755);
    files::create_private_directories(user / "a" / "b" / "c/");
    EXPECT_EQ(mode_of(user), 0755U);
    EXPECT_EQ(mode_of(user / "a"), 0700U);
    EXPECT_EQ(mode_of(user / "a" / "b"), 0700U);
    EXPECT_EQ(mode_of(user / "a" / "b" / "c"), 0700U);
    // Again over what exists: nothing changes, nothing fails.
    ::chmod((user / "a").c_str(), 0750);
    files::create_private_directories(user / "a" / "b" / "c");
    EXPECT_EQ(mode_of(user / "a"), 0750U);
}

TEST_F(FileModesTest, CreatingUnderAFileNamesTheFile) {
    const fs::path file = temp_.path() / "file";
    std::ofstream(file) << "keep me\n";
    try {
        files::create_private_directories(file / "x");
        FAIL() << "created a directory under a regular file";
    } catch (const files::FileError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "cannot create directory " + file.string() + ": Not a directory");
    }
}

TEST_F(FileModesTest, RecorderCreatesTheCassetteDirectory0700) {
    const fs::path user = user_directory("cassettes", 0755);
    const fs::path cassette = user / "suite" / "case" / "c.json";
    {
        Juju juju({.cli_binary = "/bin/true", .backend = "record:" + cassette.string()});
        juju.cli({"status"}, {.include_model = false});
    }  // the recording is saved when the backend goes
    EXPECT_EQ(mode_of(user), 0755U);
    EXPECT_EQ(mode_of(user / "suite"), 0700U);
    EXPECT_EQ(mode_of(user / "suite" / "case"), 0700U);
    EXPECT_EQ(mode_of(cassette), 0600U);
}

TEST_F(FileModesTest, SnapJujuCommonDirectoryIsCreated0700) {
    // A snap juju gets its sensitive temp files in ~/snap/juju/common.
    const fs::path home = user_directory("home", 0755);
    ScopedEnv env("HOME", home.string());
    fs::create_directories(temp_.path() / "bin" / "snap" / "bin");
    const auto binary =
        write_stub(temp_.path() / "bin" / "snap" / "bin", "juju", R"(dirname "$1")");
    auto backend = load_backend("subprocess:" + binary.string());
    const auto result = backend->run(
        {.args = {"{tmp:c}"}, .temp_files = {{.name = "c", .content = "s", .sensitive = true}}});
    EXPECT_EQ(result.stdout_text, (home / "snap" / "juju" / "common").string() + "\n");
    EXPECT_EQ(mode_of(home), 0755U);
    EXPECT_EQ(mode_of(home / "snap"), 0700U);
    EXPECT_EQ(mode_of(home / "snap" / "juju"), 0700U);
    EXPECT_EQ(mode_of(home / "snap" / "juju" / "common"), 0700U);
}

TEST_F(FileModesTest, FakePluginDataDirectoryAndParentsAre0700) {
    const fs::path data = temp_.path() / "p" / "q" / "data";
    auto backend = load_backend("fake:" + data.string());
    ASSERT_EQ(backend->run({.args = {"status"}}).returncode, 0);
    EXPECT_EQ(mode_of(temp_.path() / "p"), 0700U);
    EXPECT_EQ(mode_of(temp_.path() / "p" / "q"), 0700U);
    EXPECT_EQ(mode_of(data), 0700U);
    EXPECT_EQ(mode_of(data / "state.db"), 0600U);
}

TEST_F(FileModesTest, FakeJujuDataDirectoryAndParentsAre0700) {
    const fs::path data = temp_.path() / "p" / "q" / "data";
    ScopedEnv env("FAKE_JUJU_DATA", data.string());
    auto backend =
        load_backend("subprocess", std::string("{\"cli_binary\": \"") + JUBILANT_FAKE_JUJU + "\"}");
    ASSERT_EQ(backend->run({.args = {"status"}}).returncode, 0);
    EXPECT_EQ(mode_of(temp_.path() / "p"), 0700U);
    EXPECT_EQ(mode_of(temp_.path() / "p" / "q"), 0700U);
    EXPECT_EQ(mode_of(data), 0700U);
    EXPECT_EQ(mode_of(data / "state.db"), 0600U);
}
