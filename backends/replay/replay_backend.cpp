// The `replay` backend: spec "replay:<cassette>", a Recorder whose mode defaults to `none`
// ($JUBILANT_RECORD_MODE or config key `mode` change it). All policy lives in the core
// library's Recorder; this module only exposes it as a plugin.
#include <jubilant/plugin.hpp>
#include <jubilant/recorder.hpp>

namespace {

std::unique_ptr<jubilant::CliBackend> create(std::string_view config_json) {
    return jubilant::make_recorder_from_config("replay", config_json, jubilant::RecordMode::none);
}

}  // namespace

JUBILANT_DEFINE_PLUGIN(create)
