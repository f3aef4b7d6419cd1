// Files scp copied to a unit or machine (table remote_files), per model and target, so a
// test can copy out what it copied in, or `cat` it with exec or ssh.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "engine_internal.hpp"

namespace jubilant::fake {

/// The content of `path` on `target` (where a machine or unit container keeps its files:
/// "machine-0", "unit-pg-0/charm"); nullopt when nothing was copied there.
std::optional<std::string> remote_file(Context& ctx, const ModelRow& model,
                                       const std::string& target, const std::string& path);

/// Stores `content` at `path` on `target`, replacing what was there.
void store_remote_file(Context& ctx, const ModelRow& model, const std::string& target,
                       const std::string& path, const std::string& content);

/// The files under directory `dir` on `target`, by path relative to it.
std::map<std::string, std::string> remote_directory(Context& ctx, const ModelRow& model,
                                                    const std::string& target, std::string dir);

}  // namespace jubilant::fake
