#include <jubilant/config_value.hpp>

#include <jubilant/value.hpp>

namespace jubilant {

std::string to_string(const ConfigValue& value) {
    return std::visit(
        [](const auto& v) -> std::string {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, bool>) {
                // Python would print True/False; juju wants the YAML-style spelling.
                return v ? "true" : "false";
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
                return std::to_string(v);
            } else if constexpr (std::is_same_v<T, double>) {
                // Value prints doubles exactly as Python's str(float) does.
                return jubilant::to_string(Value(v));
            } else if constexpr (std::is_same_v<T, std::string>) {
                return v;
            } else {
                return v.str();
            }
        },
        value);
}

std::string format_config(std::string_view key, const ConfigValue& value) {
    std::string out(key);
    out += '=';
    out += to_string(value);
    return out;
}

}  // namespace jubilant
