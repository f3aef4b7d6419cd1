// A module that claims a plugin ABI this library does not speak.
#include <cstdint>

#include <jubilant/backend.hpp>

extern "C" __attribute__((visibility("default"))) std::uint32_t jubilant_plugin_abi_version() {
    return 999;
}
extern "C" __attribute__((visibility("default"))) jubilant::CliBackend* jubilant_plugin_create(
    const char*) {
    return nullptr;
}
