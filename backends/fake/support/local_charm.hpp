// A charm as its author has it on disk: a charm directory or a `.charm` that `charmcraft pack`
// made (a zip), read for what juju reads from it, with the behaviour rules kept beside it.
#pragma once

#include <string>

#include "support/charm.hpp"

namespace jubilant::fake {

/// Reads the charm at `path` (a directory or a packed .charm) and overlays its rules file:
/// `<name>.fake-juju.yaml` in the directory that holds the charm, else `<name>.yaml` in
/// `charms_dir`. Throws CommandError with juju's "charm or bundle not found" when nothing is
/// at `path`, and a clear error (file, line, what was expected) for a broken charm.
Charm read_local_charm(const std::string& path, const std::string& charms_dir);

}  // namespace jubilant::fake
