// libjubilant.so must keep its header-only dependencies to itself. This binary uses simdjson
// too, but is built without the compile definitions of simdjson's CMake target (as a plain
// `g++ ... -lsimdjson` build would be), so its simdjson::dom::parser has another layout than
// the one the library was compiled with. Had the library exported its copies of simdjson's
// inline functions, the dynamic linker would bind the library's calls to this binary's copies
// and Status::from_json would crash (it did, before src/libjubilant.map).
#ifdef SIMDJSON_THREADS_ENABLED
#error "symbol_isolation_test must be built without SIMDJSON_THREADS_ENABLED"
#endif

#include <cstddef>
#include <cstdint>
#include <string>

#include <gtest/gtest.h>
#include <simdjson.h>

#include <jubilant/statustypes.hpp>

#include "support/stub_executable.hpp"

namespace {

// Parses with this binary's own simdjson, through the function the library's parse goes
// through. Calling it through a member pointer keeps an out-of-line copy of it in this binary
// (as a compiler that chose not to inline it would), which is what the dynamic linker could
// bind the library's calls to.
std::string model_name_via_own_simdjson(const std::string& json) {
    using ParseIntoDocument =
        simdjson::simdjson_result<simdjson::dom::element> (simdjson::dom::parser::*)(
            simdjson::dom::document&, const std::uint8_t*, std::size_t, bool)& noexcept;
    static volatile ParseIntoDocument parse_into_document =
        &simdjson::dom::parser::parse_into_document;
    simdjson::dom::parser parser;
    simdjson::dom::document document;
    simdjson::dom::element root;
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(json.data());
    if ((parser.*parse_into_document)(document, bytes, json.size(), true).get(root) !=
        simdjson::SUCCESS) {
        return "<error>";
    }
    std::string_view name;
    if (root["model"]["name"].get(name) != simdjson::SUCCESS) return "<no name>";
    return std::string(name);
}

TEST(SymbolIsolation, BinaryWithItsOwnSimdjsonBuildStillParsesStatus) {
    const std::string json =
        jubilant::test::read_file(std::string(JUBILANT_FIXTURES_DIR) + "/status/iaas.json");
    const std::string own = model_name_via_own_simdjson(json);

    const auto status = jubilant::Status::from_json(json);

    EXPECT_EQ(status.model.name, own);
    EXPECT_FALSE(status.model.name.empty());
    EXPECT_FALSE(status.apps.empty());
    EXPECT_FALSE(status.machines.empty());
    // And once more in the other order, with the library's parser already warm.
    EXPECT_EQ(model_name_via_own_simdjson(json), jubilant::Status::from_json(json).model.name);
}

}  // namespace
