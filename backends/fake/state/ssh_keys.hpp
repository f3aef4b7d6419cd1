// The authorised SSH keys of a model (table ssh_keys), as add-ssh-key stored them. The
// model's internal juju keys are neither stored nor listed.
#pragma once

#include <string>
#include <vector>

#include "engine_internal.hpp"

namespace jubilant::fake {

/// One authorised key: its MD5 fingerprint, its comment (may be empty) and the key line.
struct SshKeyRow {
    std::string fingerprint{};
    std::string comment{};
    std::string key{};
};

/// Whether the model has any authorised key.
bool model_has_ssh_keys(Context& ctx, const ModelRow& model);

/// Whether the model has a key with this fingerprint.
bool ssh_key_exists(Context& ctx, const ModelRow& model, const std::string& fingerprint);

/// Adds a key (the caller has checked it is not there yet).
void insert_ssh_key(Context& ctx, const ModelRow& model, const SshKeyRow& key);

/// Removes the keys `id` names (a fingerprint, a non-empty comment, or the key line `key`);
/// returns how many were removed.
int delete_ssh_keys(Context& ctx, const ModelRow& model, const std::string& id,
                    const std::string& key);

/// The model's keys in the order they were added.
std::vector<SshKeyRow> model_ssh_keys(Context& ctx, const ModelRow& model);

}  // namespace jubilant::fake
