// A shared module that exports the ABI version but no factory.
#include <cstdint>

extern "C" __attribute__((visibility("default"))) std::uint32_t jubilant_plugin_abi_version() {
    return 1;
}
