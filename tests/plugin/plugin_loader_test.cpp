// The loader finds modules by name or path, checks their ABI and symbols, and configures them.
#include <jubilant/errors.hpp>
#include <jubilant/plugin.hpp>
#include <jubilant/plugin_loader.hpp>

#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/stub_executable.hpp"

using namespace jubilant;
using jubilant::test::ScopedEnv;
using jubilant::test::TempDir;
using ::testing::HasSubstr;

namespace {

const std::string test_plugins = JUBILANT_TEST_PLUGIN_DIR;

std::string plugin_error(const std::function<void()>& f) {
    try {
        f();
    } catch (const PluginError& e) {
        return e.what();
    }
    ADD_FAILURE() << "expected PluginError";
    return {};
}

}  // namespace

TEST(BackendSpec, SplitsNameAndTargetAtTheFirstColon) {
    const auto a = BackendSpec::parse("replay:dir/c.json");
    EXPECT_EQ(a.plugin, "replay");
    EXPECT_EQ(a.target, "dir/c.json");
    const auto b = BackendSpec::parse("subprocess");
    EXPECT_EQ(b.plugin, "subprocess");
    EXPECT_EQ(b.target, "");
    EXPECT_EQ(BackendSpec::parse("fake:a:b").target, "a:b");
    EXPECT_THAT(plugin_error([] { BackendSpec::parse(":x"); }), HasSubstr("no plugin name"));
}

TEST(PluginSearchPath, EnvironmentFirstThenBesideTheLibrary) {
    ScopedEnv env(plugin_path_env, std::string("/first:/second"));
    const auto dirs = plugin_search_path();
    ASSERT_EQ(dirs.size(), 3u);
    EXPECT_EQ(dirs[0], "/first");
    EXPECT_EQ(dirs[1], "/second");
    // The build tree mirrors the install layout, so the library built here finds the plugins
    // built here through the same rule an installed copy uses: nothing else is searched
    // (examples_install checks that an installed copy ignores this directory).
    EXPECT_EQ(dirs[2], std::filesystem::path(JUBILANT_PLUGIN_DIR));
}

TEST(LoadBackend, LoadsTheSubprocessPluginByName) {
    auto backend = load_backend("subprocess");
    ASSERT_NE(backend, nullptr);
    EXPECT_EQ(backend->name(), "subprocess");
}

TEST(LoadBackend, FindsPluginsThroughTheEnvironmentPath) {
    ScopedEnv env(plugin_path_env, test_plugins);
    auto backend = load_backend("echo:hi");
    EXPECT_EQ(backend->name(), "echo");
    EXPECT_EQ(backend->run({.args = {"status"}}).stdout_text, "hi status");
}

TEST(LoadBackend, LoadsByPathAndPassesConfig) {
    auto backend =
        load_backend(test_plugins + "/libjubilant-backend-echo.so", R"({"greeting": "hey"})");
    EXPECT_EQ(backend->run({.args = {"a", "b"}}).stdout_text, "hey a b");
}

TEST(LoadBackend, EnvironmentConfigIsMergedOverTheCallersConfig) {
    ScopedEnv env(backend_config_env, std::string(R"({"greeting": "from-env"})"));
    auto backend = load_backend(test_plugins + "/libjubilant-backend-echo.so",
                                R"({"greeting": "from-caller"})");
    EXPECT_EQ(backend->run({.args = {"x"}}).stdout_text, "from-env x");
}

TEST(LoadBackend, EnvironmentConfigCanBeLeftOutForNestedLoads) {
    ScopedEnv env(backend_config_env, std::string(R"({"greeting": "from-env"})"));
    auto backend =
        load_backend(test_plugins + "/libjubilant-backend-echo.so",
                     R"({"greeting": "from-caller"})", {.merge_environment_config = false});
    EXPECT_EQ(backend->run({.args = {"x"}}).stdout_text, "from-caller x");
}

TEST(LoadBackend, MissingPluginListsWhereItLooked) {
    ScopedEnv env(plugin_path_env, std::string("/nowhere/a:/nowhere/b"));
    const auto message = plugin_error([] { load_backend("no-such-backend"); });
    EXPECT_THAT(message, HasSubstr("backend plugin 'no-such-backend' not found"));
    EXPECT_THAT(message, HasSubstr("/nowhere/a/libjubilant-backend-no-such-backend.so"));
    EXPECT_THAT(message, HasSubstr("/nowhere/b/libjubilant-backend-no-such-backend.so"));
    EXPECT_THAT(message, HasSubstr(JUBILANT_PLUGIN_DIR));
    EXPECT_THAT(message, HasSubstr("JUBILANT_PLUGIN_PATH"));
}

TEST(LoadBackend, MissingFileByPath) {
    EXPECT_THAT(plugin_error([] { load_backend("/does/not/exist.so"); }),
                HasSubstr("'/does/not/exist.so' does not exist"));
}

TEST(LoadBackend, FileThatIsNotASharedLibrary) {
    TempDir dir;
    const auto path = dir.path() / "libjubilant-backend-junk.so";
    std::ofstream(path) << "this is not an ELF file";
    const auto message = plugin_error([&] { load_backend(path.string()); });
    EXPECT_THAT(message, HasSubstr("cannot load backend plugin"));
    EXPECT_THAT(message, HasSubstr(path.string()));
}

TEST(LoadBackend, ModuleWithoutFactoryIsRefused) {
    const auto message =
        plugin_error([] { load_backend(test_plugins + "/libjubilant-backend-no_factory.so"); });
    EXPECT_THAT(message, HasSubstr("is not a jubilant backend plugin"));
    EXPECT_THAT(message, HasSubstr("jubilant_plugin_create"));
}

TEST(LoadBackend, AbiMismatchIsRefusedBeforeAnythingRuns) {
    const auto message =
        plugin_error([] { load_backend(test_plugins + "/libjubilant-backend-bad_abi.so"); });
    EXPECT_THAT(message, HasSubstr("built for plugin ABI 999"));
    EXPECT_THAT(message, HasSubstr("speaks ABI " + std::to_string(plugin_abi_version)));
}

TEST(LoadBackend, FactoryErrorsSurfaceAsPluginError) {
    const auto message = plugin_error(
        [] { load_backend(test_plugins + "/libjubilant-backend-echo.so", R"({"fail": true})"); });
    EXPECT_THAT(message, HasSubstr("echo: asked to fail"));
}

TEST(LoadBackend, BadConfigIsNamed) {
    EXPECT_THAT(plugin_error([] { load_backend("subprocess", "{not json"); }),
                HasSubstr("not valid JSON"));
    EXPECT_THAT(plugin_error([] { load_backend("subprocess", "[1, 2]"); }),
                HasSubstr("expected a JSON object, got array"));
    EXPECT_THAT(plugin_error([] { load_backend("subprocess", R"({"max_output_bytes": "x"})"); }),
                HasSubstr("key \"max_output_bytes\" must be an integer, got string"));
    EXPECT_THAT(plugin_error([] { load_backend("subprocess", R"({"colour": "red"})"); }),
                HasSubstr("unknown key colour"));
    ScopedEnv env(backend_config_env, std::string("{oops"));
    EXPECT_THAT(plugin_error([] { load_backend("subprocess"); }),
                HasSubstr("bad config from JUBILANT_BACKEND_CONFIG"));
}

TEST(PluginConfig, TypedAccessors) {
    const auto config = PluginConfig::parse(
        "p", R"({"s": "x", "i": 3, "f": 2.5, "whole": 4.0, "b": true, "n": null})");
    EXPECT_EQ(config.string("s"), "x");
    EXPECT_EQ(config.integer("i"), 3);
    EXPECT_EQ(config.integer("whole"), 4);
    EXPECT_EQ(config.number("f"), 2.5);
    EXPECT_EQ(config.boolean("b"), true);
    EXPECT_EQ(config.string("n"), std::nullopt);
    EXPECT_EQ(config.string("absent"), std::nullopt);
    EXPECT_THAT(plugin_error([&] { (void)config.integer("f"); }), HasSubstr("must be an integer"));
    EXPECT_THAT(plugin_error([&] { (void)config.boolean("s"); }), HasSubstr("true or false"));
    EXPECT_NO_THROW(config.reject_unknown({"s", "i", "f", "whole", "b", "n"}));
}
