// Fuzz target: the JSON parsers behind the typed API (status, secrets, models, units, version,
// tasks) must each return a value or throw jubilant::Error (ParseError for bad documents),
// never crash or hang. The first byte picks the parser, the rest is the document.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <jubilant/errors.hpp>
#include <jubilant/modeltypes.hpp>
#include <jubilant/secrettypes.hpp>
#include <jubilant/statustypes.hpp>
#include <jubilant/task.hpp>
#include <jubilant/unittypes.hpp>
#include <jubilant/version.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view json(reinterpret_cast<const char*>(data) + 1, size - 1);
    try {
        switch (data[0] % 7) {
        case 0: (void)jubilant::Status::from_json(json); break;
        case 1: (void)jubilant::Secret::from_json(json); break;
        case 2: (void)jubilant::RevealedSecret::from_json(json); break;
        case 3: (void)jubilant::Secret::list_from_json(json); break;
        case 4: (void)jubilant::ModelInfo::from_json(json); break;
        case 5: (void)jubilant::UnitInfo::from_json(json); break;
        default:
            (void)jubilant::Version::from_json(json);
            (void)jubilant::Task::from_run_output(json);
        }
    } catch (const jubilant::Error&) {}
    return 0;
}
