// The charm fixtures built into the fake (fixtures/charms/*.yaml), so an installed fake-juju
// needs no data files. CMake generates their definition, embedded_charms.cpp, from
// embedded_charms.cpp.in.
#pragma once

#include <cstddef>

namespace jubilant::fake {

/// One fixture: the charm's name and its YAML text.
struct EmbeddedCharm {
    const char* name;
    const char* yaml;
};

/// The fixtures, by name, then a {nullptr, nullptr} end marker.
extern const EmbeddedCharm embedded_charms[];
/// How many fixtures there are (the end marker not counted).
extern const std::size_t embedded_charm_count;

}  // namespace jubilant::fake
