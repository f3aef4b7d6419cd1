#include "state/model_changes.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "state/debug_log.hpp"
#include "state/json_column.hpp"

namespace jubilant::fake {

std::string new_machine(Context& ctx, const ModelRow& model, const std::string& base,
                        const std::string& constraints, const std::string& host) {
    std::string id;
    if (host.empty()) {
        Statement& s = ctx.db.prepare("SELECT next_machine FROM models WHERE id = ?1");
        s.bind(model.id);
        s.step();
        id = std::to_string(s.integer(0));
        s.bind();
        ctx.db.prepare("UPDATE models SET next_machine = next_machine + 1 WHERE id = ?1")
            .bind(model.id)
            .exec();
    } else {
        Statement& s =
            ctx.db.prepare("SELECT count(*) FROM machines WHERE model_id = ?1 AND id LIKE ?2");
        s.bind(model.id, host + "/lxd/%");
        s.step();
        id = fmt::format("{}/lxd/{}", host, s.integer(0));
        s.bind();
    }
    ctx.db
        .prepare(
            "INSERT INTO machines(model_id, id, base, constraints, created_ms) "
            "VALUES (?1, ?2, ?3, ?4, ?5)")
        .bind(model.id, id, base, constraints, ctx.now)
        .exec();
    return id;
}

bool machine_exists(Context& ctx, const ModelRow& model, const std::string& id) {
    return ctx.db.prepare("SELECT 1 FROM machines WHERE model_id = ?1 AND id = ?2")
        .bind(model.id, id)
        .has_row();
}

// A --to placement: an existing machine ("3"), a new container ("lxd", "lxd:3").
std::string place(Context& ctx, const ModelRow& model, const std::string& directive,
                  const std::string& base, const std::string& constraints) {
    if (directive == "lxd") {
        const std::string host = new_machine(ctx, model, base, constraints);
        return new_machine(ctx, model, base, constraints, host);
    }
    if (directive.starts_with("lxd:")) {
        const std::string host = directive.substr(4);
        if (!machine_exists(ctx, model, host)) {
            throw CommandError(fmt::format("machine {} not found", host));
        }
        return new_machine(ctx, model, base, constraints, host);
    }
    if (!machine_exists(ctx, model, directive)) {
        throw CommandError(
            fmt::format("cannot deploy to machine {}: machine {} not found", directive, directive));
    }
    return directive;
}

void add_units(Context& ctx, const ModelRow& model, AppRow& app, int count,
               const std::vector<std::string>& placements) {
    for (int i = 0; i < count; ++i) {
        std::string machine;
        if (model.type == "iaas") {
            machine = static_cast<std::size_t>(i) < placements.size()
                          ? place(ctx, model, placements[static_cast<std::size_t>(i)], app.base,
                                  app.constraints)
                          : new_machine(ctx, model, app.base, app.constraints);
        }
        const std::int64_t number = app.next_unit++;
        ctx.db
            .prepare(
                "INSERT INTO units(model_id, app, number, machine, created_ms) "
                "VALUES (?1, ?2, ?3, ?4, ?5)")
            .bind(model.id, app.name, number, machine, ctx.now)
            .exec();
        log_line(ctx, model, fmt::format("unit-{}-{}", app.name, number), "INFO",
                 "unit agent started");
    }
    ctx.db.prepare("UPDATE applications SET next_unit = ?1 WHERE model_id = ?2 AND name = ?3")
        .bind(app.next_unit, model.id, app.name)
        .exec();
}

// Adds subordinate units for every principal unit related to `sub_app` by a container
// relation that does not have one yet.
void sync_subordinates(Context& ctx, const ModelRow& model) {
    ModelState state = load_model_state(ctx, model);
    for (const RelationRow& r : state.relations) {
        if (r.scope != "container") continue;
        for (const auto& [sub_name, principal_name] : {std::pair{r.provider_app, r.requirer_app},
                                                       std::pair{r.requirer_app, r.provider_app}}) {
            const AppRow* sub = state.app(sub_name);
            const AppRow* principal = state.app(principal_name);
            if (!sub || !principal || !sub->charm.subordinate || principal->charm.subordinate)
                continue;
            AppRow sub_app = load_app(ctx, model, sub_name);
            std::vector<UnitRow> added;
            for (const UnitRow& unit : state.units) {
                if (unit.app != principal_name) continue;
                const std::string& sub_app_name = sub_name;  // clang 14 cannot capture bindings
                const bool has =
                    std::any_of(state.units.begin(), state.units.end(), [&](const UnitRow& u) {
                        return u.app == sub_app_name && u.principal == unit.name();
                    });
                if (has) continue;
                const std::int64_t number = sub_app.next_unit++;
                ctx.db
                    .prepare(
                        "INSERT INTO units(model_id, app, number, machine, principal, "
                        "created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                    .bind(model.id, sub_name, number, unit.machine, unit.name(), ctx.now)
                    .exec();
                added.push_back({.app = sub_name,
                                 .number = number,
                                 .machine = unit.machine,
                                 .principal = unit.name(),
                                 .created = ctx.now,
                                 .busy_until = 0,
                                 .busy_hook = {}});
            }
            state.units.insert(state.units.end(), added.begin(), added.end());
            ctx.db
                .prepare("UPDATE applications SET next_unit = ?1 WHERE model_id = ?2 AND name = ?3")
                .bind(sub_app.next_unit, model.id, sub_name)
                .exec();
        }
    }
}

void remove_unit_row(Context& ctx, const ModelRow& model, const UnitRow& unit,
                     const ModelState& state) {
    ctx.db.prepare("DELETE FROM units WHERE model_id = ?1 AND app = ?2 AND number = ?3")
        .bind(model.id, unit.app, unit.number)
        .exec();
    ctx.db.prepare("DELETE FROM units WHERE model_id = ?1 AND principal = ?2")
        .bind(model.id, unit.name())
        .exec();
    if (unit.machine.empty() || !unit.principal.empty()) return;
    // The machine goes with its last principal unit, as juju does for machines it created.
    const bool shared = std::any_of(state.units.begin(), state.units.end(), [&](const UnitRow& u) {
        return u.machine == unit.machine && u.name() != unit.name() && u.principal.empty();
    });
    if (!shared) {
        ctx.db.prepare("DELETE FROM machines WHERE model_id = ?1 AND id = ?2")
            .bind(model.id, unit.machine)
            .exec();
    }
}

void insert_peer_relations(Context& ctx, const ModelRow& model, const AppRow& app) {
    for (const Endpoint& e : app.charm.endpoints) {
        if (e.role != "peer") continue;
        ctx.db
            .prepare(
                "INSERT INTO relations(model_id, id, provider_app, provider_endpoint, "
                "requirer_app, requirer_endpoint, interface, scope, created_ms) VALUES "
                "(?1, ?2, ?3, ?4, ?3, ?4, ?5, ?6, ?7)")
            .bind(model.id, next_counter(ctx.db, "relation"), app.name, e.name, e.interface,
                  e.scope, ctx.now)
            .exec();
    }
}

void insert_app(Context& ctx, const ModelRow& model, const AppRow& app) {
    ctx.db
        .prepare(
            "INSERT INTO applications(model_id, name, charm, source, channel, revision, "
            "base, charm_meta, config, trust, constraints, created_ms, offer_url) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)")
        .bind(model.id, app.name, app.charm_name, app.source, app.channel, app.revision, app.base,
              json_column(app.charm.to_json()), json_column(app.config), app.trust, app.constraints,
              ctx.now, app.offer_url)
        .exec();
}

void insert_relation(Context& ctx, const ModelRow& model, const RelationRow& relation) {
    ctx.db
        .prepare(
            "INSERT INTO relations(model_id, id, provider_app, provider_endpoint, "
            "requirer_app, requirer_endpoint, interface, scope, created_ms) VALUES "
            "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
        .bind(model.id, next_counter(ctx.db, "relation"), relation.provider_app,
              relation.provider_endpoint, relation.requirer_app, relation.requirer_endpoint,
              relation.interface, relation.scope, ctx.now)
        .exec();
}

void delete_relation(Context& ctx, const ModelRow& model, std::int64_t id) {
    ctx.db.prepare("DELETE FROM relations WHERE model_id = ?1 AND id = ?2")
        .bind(model.id, id)
        .exec();
}

void remove_subordinate_units(Context& ctx, const ModelRow& model,
                              const std::string& subordinate_app,
                              const std::string& principal_app) {
    ctx.db.prepare("DELETE FROM units WHERE model_id = ?1 AND app = ?2 AND principal LIKE ?3")
        .bind(model.id, subordinate_app, principal_app + "/%")
        .exec();
}

std::optional<OfferRow> find_offer(Context& ctx, const ModelRow& model, const std::string& name) {
    return ctx.db.prepare("SELECT app, endpoints FROM offers WHERE model_id = ?1 AND name = ?2")
        .bind(model.id, name)
        .first_row([&](const Statement& row) {
            return OfferRow{.name = name, .app = row.text(0), .endpoints = split(row.text(1), ',')};
        });
}

void store_offer(Context& ctx, const ModelRow& model, const OfferRow& offer) {
    ctx.db
        .prepare(
            "INSERT INTO offers(model_id, name, app, endpoints) VALUES (?1, ?2, ?3, ?4) "
            "ON CONFLICT(model_id, name) DO UPDATE SET app = excluded.app, endpoints = "
            "excluded.endpoints")
        .bind(model.id, offer.name, offer.app, join(offer.endpoints, ","))
        .exec();
}

void delete_app(Context& ctx, const ModelRow& model, const std::string& name) {
    ctx.db
        .prepare(
            "DELETE FROM relations WHERE model_id = ?1 AND (provider_app = ?2 OR requirer_app = "
            "?2)")
        .bind(model.id, name)
        .exec();
    ctx.db.prepare("DELETE FROM offers WHERE model_id = ?1 AND app = ?2")
        .bind(model.id, name)
        .exec();
    ctx.db.prepare("DELETE FROM applications WHERE model_id = ?1 AND name = ?2")
        .bind(model.id, name)
        .exec();
}

}  // namespace jubilant::fake
