// Relations: integrate and remove-relation, with juju's endpoint matching.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "state/model_changes.hpp"
#include "state/model_state.hpp"

namespace jubilant::fake {
namespace {

struct EndpointRef {
    std::string app;
    std::optional<std::string> endpoint;
};

EndpointRef endpoint_ref(const std::string& text) {
    const auto colon = text.find(':');
    if (colon == std::string::npos) return {text, std::nullopt};
    return {text.substr(0, colon), text.substr(colon + 1)};
}

struct Candidate {
    std::string provider_app, provider_endpoint, requirer_app, requirer_endpoint, interface, scope;
    std::string text() const {
        return fmt::format("{}:{} {}:{}", requirer_app, requirer_endpoint, provider_app,
                           provider_endpoint);
    }
};

std::vector<Candidate> candidates(const ModelState& state, const EndpointRef& a,
                                  const EndpointRef& b) {
    const AppRow* app_a = state.app(a.app);
    const AppRow* app_b = state.app(b.app);
    std::vector<Candidate> out;
    for (const Endpoint& ea : app_a->charm.endpoints) {
        if (a.endpoint && ea.name != *a.endpoint) continue;
        for (const Endpoint& eb : app_b->charm.endpoints) {
            if (b.endpoint && eb.name != *b.endpoint) continue;
            if (ea.interface != eb.interface || ea.role == "peer" || eb.role == "peer" ||
                ea.role == eb.role) {
                continue;
            }
            const bool a_provides = ea.role == "provider";
            const std::string scope =
                (ea.scope == "container" || eb.scope == "container") ? "container" : "global";
            out.push_back({.provider_app = a_provides ? a.app : b.app,
                           .provider_endpoint = a_provides ? ea.name : eb.name,
                           .requirer_app = a_provides ? b.app : a.app,
                           .requirer_endpoint = a_provides ? eb.name : ea.name,
                           .interface = ea.interface,
                           .scope = scope});
        }
    }
    // Without explicit endpoints, juju prefers the specific interfaces over juju-info.
    if (out.size() > 1) {
        std::vector<Candidate> specific;
        for (const auto& c : out) {
            if (c.interface != "juju-info") specific.push_back(c);
        }
        if (!specific.empty()) out = specific;
    }
    return out;
}

void cmd_integrate(Context& ctx) {
    require_positionals(ctx, 2, 2, "an integration must involve two applications");
    const ModelRow model = current_model(ctx);
    const ModelState state = load_model_state(ctx, model);
    const EndpointRef a = endpoint_ref(ctx.args.positionals()[0]);
    const EndpointRef b = endpoint_ref(ctx.args.positionals()[1]);
    for (const EndpointRef* ref : {&a, &b}) {
        if (!state.app(ref->app))
            throw CommandError(fmt::format("application \"{}\" not found", ref->app));
    }
    const std::vector<Candidate> found = candidates(state, a, b);
    const std::string asked = ctx.args.positionals()[0] + " " + ctx.args.positionals()[1];
    if (found.empty()) throw CommandError(fmt::format("no relations found for \"{}\"", asked));
    if (found.size() > 1) {
        std::vector<std::string> texts;
        for (const auto& c : found) texts.push_back("\"" + c.text() + "\"");
        throw CommandError(
            fmt::format("ambiguous relation: \"{}\" could refer to {}", asked, join(texts, "; ")));
    }
    const Candidate& c = found.front();
    for (const RelationRow& r : state.relations) {
        if (r.provider_app == c.provider_app && r.provider_endpoint == c.provider_endpoint &&
            r.requirer_app == c.requirer_app && r.requirer_endpoint == c.requirer_endpoint) {
            throw CommandError(fmt::format("cannot add relation \"{}\": relation {} already exists",
                                           c.text(), c.text()));
        }
    }
    insert_relation(ctx, model,
                    {.id = 0,
                     .provider_app = c.provider_app,
                     .provider_endpoint = c.provider_endpoint,
                     .requirer_app = c.requirer_app,
                     .requirer_endpoint = c.requirer_endpoint,
                     .interface = c.interface,
                     .scope = c.scope});
    mark_busy(ctx, model, c.provider_app, c.provider_endpoint + "-relation-changed");
    mark_busy(ctx, model, c.requirer_app, c.requirer_endpoint + "-relation-changed");
    sync_subordinates(ctx, model);
}

void cmd_remove_relation(Context& ctx) {
    require_positionals(ctx, 2, 2, "a relation must involve two applications");
    const ModelRow model = current_model(ctx);
    const ModelState state = load_model_state(ctx, model);
    const EndpointRef a = endpoint_ref(ctx.args.positionals()[0]);
    const EndpointRef b = endpoint_ref(ctx.args.positionals()[1]);
    auto side_matches = [](const std::string& app, const std::string& endpoint,
                           const EndpointRef& ref) {
        return app == ref.app && (!ref.endpoint || *ref.endpoint == endpoint);
    };
    const RelationRow* match = nullptr;
    for (const RelationRow& r : state.relations) {
        if (r.is_peer()) continue;
        if ((side_matches(r.provider_app, r.provider_endpoint, a) &&
             side_matches(r.requirer_app, r.requirer_endpoint, b)) ||
            (side_matches(r.provider_app, r.provider_endpoint, b) &&
             side_matches(r.requirer_app, r.requirer_endpoint, a))) {
            match = &r;
            break;
        }
    }
    if (!match) {
        throw CommandError(fmt::format("relation \"{} {}\" not found", ctx.args.positionals()[0],
                                       ctx.args.positionals()[1]));
    }
    delete_relation(ctx, model, match->id);
    if (match->scope == "container") {
        for (const auto& [sub, principal] : {std::pair{match->provider_app, match->requirer_app},
                                             std::pair{match->requirer_app, match->provider_app}}) {
            const AppRow* sub_app = state.app(sub);
            if (!sub_app || !sub_app->charm.subordinate) continue;
            remove_subordinate_units(ctx, model, sub, principal);
        }
    }
    mark_busy(ctx, model, match->provider_app, match->provider_endpoint + "-relation-broken");
    mark_busy(ctx, model, match->requirer_app, match->requirer_endpoint + "-relation-broken");
}

}  // namespace

std::vector<CommandDef> relation_commands() {
    return {
        {.name = "integrate", .spec = {.flags = {value({"--via"})}}, .run = cmd_integrate},
        {.name = "remove-relation",
         .spec = {.flags = {boolean({"--force"})}},
         .run = cmd_remove_relation},
    };
}

}  // namespace jubilant::fake
