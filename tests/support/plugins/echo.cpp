// A well-formed plugin for loader tests: answers every request with its config and argv, and
// throws from its factory when the config asks it to.
#include <fmt/format.h>

#include <jubilant/errors.hpp>
#include <jubilant/plugin.hpp>

namespace {

class EchoBackend final : public jubilant::CliBackend {
public:
    explicit EchoBackend(std::string greeting) : greeting_(std::move(greeting)) {}
    std::string name() const override { return "echo"; }
    jubilant::CliResult run(const jubilant::CliRequest& request) override {
        return {.returncode = 0,
                .stdout_text = fmt::format("{} {}", greeting_, fmt::join(request.args, " ")),
                .stderr_text = {}};
    }

private:
    std::string greeting_;
};

std::unique_ptr<jubilant::CliBackend> create(std::string_view json) {
    const auto config = jubilant::PluginConfig::parse("echo", json);
    config.reject_unknown({"greeting", "fail"});
    if (config.boolean("fail").value_or(false)) {
        throw jubilant::PluginError("echo: asked to fail");
    }
    const auto target = config.string("target");
    return std::make_unique<EchoBackend>(
        config.string("greeting").value_or(target.value_or("hello")));
}

}  // namespace

JUBILANT_DEFINE_PLUGIN(create)
