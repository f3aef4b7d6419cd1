// Cross-model relations: offer and consume, between models of the fake's controllers.
#include <fmt/format.h>

#include "state/model_changes.hpp"
#include "state/model_state.hpp"

namespace jubilant::fake {
namespace {

void cmd_offer(Context& ctx) {
    require_positionals(ctx, 1, 2, "an offer must at least specify application endpoint");
    const std::string spec = ctx.args.positionals()[0];
    const auto colon = spec.find(':');
    if (colon == std::string::npos) {
        throw UsageError(ctx.command,
                         fmt::format("endpoints must conform to format "
                                     "\"<application-name>:<endpoint-name>[,...]\", got \"{}\"",
                                     spec));
    }
    std::string app_part = spec.substr(0, colon);
    std::string model_ref;
    if (const auto dot = app_part.rfind('.'); dot != std::string::npos) {
        model_ref = app_part.substr(0, dot);
        app_part = app_part.substr(dot + 1);
    }
    if (auto controller = ctx.args.value("controller"); controller && !model_ref.empty()) {
        model_ref = *controller + ":" + model_ref;
    }
    const ModelRow model = model_ref.empty() ? current_model(ctx) : find_model(ctx, model_ref);
    const AppRow app = load_app(ctx, model, app_part);
    const std::vector<std::string> endpoints = split(spec.substr(colon + 1), ',');
    for (const auto& e : endpoints) {
        if (!app.charm.endpoint(e)) {
            throw CommandError(
                fmt::format("application \"{}\" has no \"{}\" relation", app.name, e));
        }
    }
    const std::string name =
        ctx.args.positionals().size() > 1 ? ctx.args.positionals()[1] : app.name;
    if (ctx.juju4()) {
        // Juju 4 cannot update an offer: remove it, then offer again (4.0.0 release notes).
        // From 4.0.14 offering the same thing again is a no-op (juju PR #22955). The wording
        // is juju's from before offers were upserted (juju PR #12608).
        const std::optional<OfferRow> existing = find_offer(ctx, model, name);
        const bool identical = existing && existing->app == app.name &&
                               join(existing->endpoints, ",") == join(endpoints, ",");
        if (existing && !(identical && !ctx.version.before(4, 0, 14))) {
            throw CommandError(fmt::format(
                "cannot add application offer \"{}\": application offer already exists", name));
        }
    }
    store_offer(ctx, model, {.name = name, .app = app.name, .endpoints = endpoints});
    ctx.err += fmt::format("Application \"{}\" endpoints [{}] available at \"{}.{}\"\n", app.name,
                           join(endpoints, " "), model.short_name(), name);
}

void cmd_consume(Context& ctx) {
    require_positionals(ctx, 1, 2, "no remote offer specified");
    const std::string url = ctx.args.positionals()[0];
    const auto dot = url.rfind('.');
    if (dot == std::string::npos) {
        throw CommandError(fmt::format("offer URL \"{}\" should include a model name", url));
    }
    const ModelRow offering_model = find_model(ctx, url.substr(0, dot));
    const std::string offer_name = url.substr(dot + 1);
    const std::optional<OfferRow> offer = find_offer(ctx, offering_model, offer_name);
    if (!offer) {
        throw CommandError(fmt::format("application offer \"{}.{}\" not found",
                                       offering_model.short_name(), offer_name));
    }
    const std::string& offered_app = offer->app;
    const std::vector<std::string>& endpoints = offer->endpoints;
    const ModelRow model = current_model(ctx);
    const AppRow source = load_app(ctx, offering_model, offered_app);
    AppRow remote;
    remote.name = ctx.args.positionals().size() > 1 ? ctx.args.positionals()[1] : offer_name;
    if (find_app(ctx, model, remote.name)) {
        throw CommandError(fmt::format("saas application \"{}\" already exists", remote.name));
    }
    remote.charm = Charm::generic_charm(source.charm_name);
    remote.charm.endpoints.clear();
    for (const auto& e : endpoints) {
        if (const Endpoint* endpoint = source.charm.endpoint(e))
            remote.charm.endpoints.push_back(*endpoint);
    }
    remote.charm_name = source.charm_name;
    remote.source = "charmhub";
    remote.channel = source.channel;
    remote.revision = source.revision;
    remote.base = source.base;
    remote.offer_url =
        fmt::format("{}:{}.{}", offering_model.controller, offering_model.short_name(), offer_name);
    insert_app(ctx, model, remote);
    ctx.err +=
        fmt::format("Added {}.{} as {}\n", offering_model.short_name(), offer_name, remote.name);
}

}  // namespace

std::vector<CommandDef> offer_commands() {
    return {
        {.name = "consume", .spec = {}, .run = cmd_consume},
        {.name = "offer",
         .spec = {.flags = {value({"-c", "--controller"})}},
         .run = cmd_offer,
         .model_scoped = false},
    };
}

}  // namespace jubilant::fake
