// The write side of a model's applications, units, machines and relations (the read side is
// model_state.hpp): what deploy, add-unit, add-machine, integrate and consume add, and what
// removing a unit takes along; and the offers offer writes and consume reads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine_internal.hpp"
#include "state/model_state.hpp"

namespace jubilant::fake {

/// Adds a machine and returns its ID: the model's next number, or with `host` a new LXD
/// container on that machine ("3/lxd/0").
std::string new_machine(Context& ctx, const ModelRow& model, const std::string& base,
                        const std::string& constraints, const std::string& host = {});

/// Whether the model has a machine with this ID.
bool machine_exists(Context& ctx, const ModelRow& model, const std::string& id);

/// The machine a --to placement names: an existing machine ("3") or a new container ("lxd",
/// "lxd:3"); throws juju's error for a missing machine.
std::string place(Context& ctx, const ModelRow& model, const std::string& directive,
                  const std::string& base, const std::string& constraints);

/// Adds `count` units of `app` (on IAAS, each on a machine of its own or where `placements`
/// says) and advances the application's unit counter.
void add_units(Context& ctx, const ModelRow& model, AppRow& app, int count,
               const std::vector<std::string>& placements);

/// Adds subordinate units for every principal unit related to a subordinate application by a
/// container relation that does not have one yet.
void sync_subordinates(Context& ctx, const ModelRow& model);

/// Removes a unit and its subordinates; a machine goes with its last principal unit.
void remove_unit_row(Context& ctx, const ModelRow& model, const UnitRow& unit,
                     const ModelState& state);

/// Adds a relation (its ID from the relation counter; `relation.id` is not read).
void insert_relation(Context& ctx, const ModelRow& model, const RelationRow& relation);

/// Removes the relation with this ID.
void delete_relation(Context& ctx, const ModelRow& model, std::int64_t id);

/// Removes the units of `subordinate_app` attached to units of `principal_app`.
void remove_subordinate_units(Context& ctx, const ModelRow& model,
                              const std::string& subordinate_app, const std::string& principal_app);

/// The model's offer of this name; nullopt when there is none.
std::optional<OfferRow> find_offer(Context& ctx, const ModelRow& model, const std::string& name);

/// Stores an offer, replacing one of the same name.
void store_offer(Context& ctx, const ModelRow& model, const OfferRow& offer);

/// Adds the application's row.
void insert_app(Context& ctx, const ModelRow& model, const AppRow& app);

/// Removes the application's row with its relations and offers (its units are removed first,
/// with remove_unit_row).
void delete_app(Context& ctx, const ModelRow& model, const std::string& name);

/// Adds the peer relations the application's charm declares.
void insert_peer_relations(Context& ctx, const ModelRow& model, const AppRow& app);

}  // namespace jubilant::fake
