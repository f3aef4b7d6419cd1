// Fuzz target: Cassette::parse must either return a cassette or throw ParseError, never crash,
// hang or throw anything else. A parsed cassette must also survive to_json() and parse again.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <jubilant/cassette.hpp>
#include <jubilant/errors.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const auto cassette = jubilant::cassette::Cassette::parse(text, "fuzz");
        const auto again = jubilant::cassette::Cassette::parse(cassette.to_json(), "fuzz-again");
        if (!(again == cassette)) __builtin_trap();
    } catch (const jubilant::ParseError&) {
    } catch (const jubilant::Error&) {
        // to_json refuses header strings that are not UTF-8; that is a documented Error.
    }
    return 0;
}
