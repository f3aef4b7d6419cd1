// Secrets: add, update, remove, grant, revoke, list and show (with reveal and revisions).
//
// The fake holds user secrets (owner "<model>") only: what `juju add-secret` creates. Content
// lives in secret_revisions as a JSON object of decoded values; it is printed only by
// `show-secret --reveal` and never reaches the debug log or an error message.
#include <algorithm>
#include <array>
#include <cstdint>
#include <set>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "hash.hpp"
#include "state/model_state.hpp"
#include "state/secrets.hpp"
#include "support/digests.hpp"
#include "support/yaml_input.hpp"

namespace jubilant::fake {
namespace {

// A juju secret ID is an xid: 12 bytes (time, machine, process, counter) in lowercase
// base32hex, 20 characters. The fake derives every part deterministically.
std::string secret_id(const ModelRow& model, std::int64_t counter, std::int64_t now) {
    std::array<std::uint8_t, 12> raw{};
    const std::uint64_t seconds = static_cast<std::uint64_t>((wall_epoch_ms() + now) / 1000);
    for (int i = 0; i < 4; ++i)
        raw[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(seconds >> (24 - 8 * i));
    const std::uint32_t h = text::fnv1a_32(model.uuid);
    raw[4] = static_cast<std::uint8_t>(h >> 16);
    raw[5] = static_cast<std::uint8_t>(h >> 8);
    raw[6] = static_cast<std::uint8_t>(h);
    raw[7] = static_cast<std::uint8_t>(model.id >> 8);
    raw[8] = static_cast<std::uint8_t>(model.id);
    raw[9] = static_cast<std::uint8_t>(counter >> 16);
    raw[10] = static_cast<std::uint8_t>(counter >> 8);
    raw[11] = static_cast<std::uint8_t>(counter);
    static constexpr std::string_view alphabet = "0123456789abcdefghijklmnopqrstuv";
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (std::uint8_t byte : raw) {
        acc = (acc << 8) | byte;
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out += alphabet[(acc >> bits) & 31];
        }
    }
    if (bits > 0) out += alphabet[(acc << (5 - bits)) & 31];
    return out;
}

bool looks_like_secret_id(std::string_view text) {
    return text.size() == 20 && std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'v');
           });
}

// juju's secret key rule: ^[a-z](?:-?[a-z0-9]){2,}$
bool valid_key(std::string_view key) {
    if (key.size() < 3 || key[0] < 'a' || key[0] > 'z') return false;
    std::size_t groups = 0;
    for (std::size_t i = 1; i < key.size(); ++i) {
        if (key[i] == '-') {
            if (i + 1 >= key.size() || key[i + 1] == '-') return false;
            continue;
        }
        const char c = key[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
        ++groups;
    }
    return groups >= 2;
}

// "now", "5 seconds ago", "3 minutes ago", "2 hours ago" or the date: juju's
// UserFriendlyDuration, against simulated time.
std::string friendly_age(std::int64_t when, std::int64_t now) {
    const std::int64_t seconds = (now - when) / 1000;
    if (seconds >= 24 * 3600) return format_iso(when).substr(0, 10);
    if (seconds >= 3600) {
        const std::int64_t h = seconds / 3600;
        return fmt::format("{} hour{} ago", h, h == 1 ? "" : "s");
    }
    if (seconds >= 60) {
        const std::int64_t m = seconds / 60;
        return fmt::format("{} minute{} ago", m, m == 1 ? "" : "s");
    }
    if (seconds >= 2) return fmt::format("{} seconds ago", seconds);
    return "now";
}

// A secret given as "secret:<id>", "secret://<model-uuid>/<id>", a bare ID, or a name.
SecretRow resolve_secret(Context& ctx, const ModelRow& model, const std::string& reference) {
    std::string id;
    if (reference.starts_with("secret:")) {
        id = reference.substr(reference.find_last_of(":/") + 1);
    } else if (looks_like_secret_id(reference)) {
        id = reference;
    }
    if (!id.empty()) {
        if (auto row = secret_by_id(ctx.db, model.id, id)) return *row;
        // A bare ID-shaped string may still be a name.
        if (reference.starts_with("secret:")) {
            throw CommandError(fmt::format("secret \"{}\" not found", id));
        }
    }
    if (auto row = secret_by_name(ctx.db, model.id, reference)) return *row;
    throw CommandError(fmt::format("secret \"{}\" not found", reference));
}

// ---- content --------------------------------------------------------------------------------

// One content entry: "key#base64" values are decoded, "key#file" values name a file to read;
// the key must then follow juju's rule. Values never appear in errors.
void add_entry(Context& ctx, nlohmann::json& content, std::string key, std::string text) {
    if (key.ends_with("#base64")) {
        key.resize(key.size() - 7);
        auto decoded = base64_decode(text);
        if (!decoded) {
            throw CommandError(fmt::format("secret value for key \"{}\" is not valid base64", key));
        }
        text = std::move(*decoded);
    } else if (key.ends_with("#file")) {
        key.resize(key.size() - 5);
        text = read_argument_file(ctx, text);
    }
    if (!valid_key(key)) throw CommandError(fmt::format("key \"{}\" not valid", key));
    content[key] = std::move(text);
}

// The content given as key=value arguments and a --file YAML map (the file wins, as in juju).
nlohmann::json read_content(Context& ctx, std::size_t first_positional) {
    nlohmann::json content = nlohmann::json::object();
    const auto& p = ctx.args.positionals();
    for (std::size_t i = first_positional; i < p.size(); ++i) {
        // juju ignores trailing base64 padding when looking for the separator.
        std::string_view arg = p[i];
        std::string_view stripped = arg;
        while (!stripped.empty() && stripped.back() == '=') stripped.remove_suffix(1);
        const auto equals = stripped.find('=');
        if (equals == std::string_view::npos || equals == 0) {
            throw UsageError(ctx.command, fmt::format("key value argument {} not valid: expected "
                                                      "key=value",
                                                      i - first_positional + 1));
        }
        add_entry(ctx, content, std::string(arg.substr(0, equals)),
                  std::string(arg.substr(equals + 1)));
    }
    if (auto path = ctx.args.value("file")) {
        const std::string text = read_argument_file(ctx, *path);
        YAML::Node doc;
        try {
            doc = load_bounded_yaml(text);
        } catch (const YAML::Exception& e) {
            // yaml-cpp's message names the position, never the document's text.
            throw CommandError(
                fmt::format("cannot parse secret content file {}: line {}, "
                            "column {}: {}",
                            *path, e.mark.line + 1, e.mark.column + 1, e.msg));
        }
        if (!doc.IsMap()) {
            throw CommandError(
                fmt::format("secret content file {} must be a YAML map of key: "
                            "value",
                            *path));
        }
        for (const auto& item : doc) {
            if (!item.second.IsScalar() && !item.second.IsNull()) {
                throw CommandError(
                    fmt::format("secret content file {}: value of key \"{}\" must "
                                "be a string",
                                *path, item.first.Scalar()));
            }
            std::string key = item.first.Scalar();
            std::string item_text = item.second.IsNull() ? std::string() : item.second.Scalar();
            // A file's keys are not read as file names, unlike the arguments' "#file".
            if (key.ends_with("#file")) {
                throw CommandError(fmt::format("key \"{}\" not valid", key));
            }
            add_entry(ctx, content, std::move(key), std::move(item_text));
        }
    }
    return content;
}

std::string content_checksum(const std::string& content_json) { return sha256_hex(content_json); }

// ---- output ---------------------------------------------------------------------------------

std::string revision_backend(const ModelRow& model) {
    return model.type == "caas" ? model.name + "-local" : "internal";
}

struct DetailOptions {
    bool revisions = false;
    bool access = false;
    std::optional<RevisionRow> reveal{};  ///< the revision whose content to show
    bool yaml = false;                    ///< YAML inlines "Data" into "content"
};

// One secret as juju 3.6 prints it, fields in juju's order.
ojson secret_details(Context& ctx, const ModelRow& model, const SecretRow& secret,
                     const DetailOptions& options) {
    const std::vector<RevisionRow> revisions = secret_revisions(ctx.db, secret.id);
    const std::int64_t latest = revisions.empty() ? 0 : revisions.back().revision;
    ojson out = {{"revision", latest}};
    if (options.reveal) out["checksum"] = content_checksum(options.reveal->content);
    // User secrets have no rotation policy, which juju leaves out.
    out["owner"] = secret.owner;
    if (secret.description && !secret.description->empty())
        out["description"] = *secret.description;
    if (secret.name && !secret.name->empty()) out["name"] = *secret.name;
    out["created"] = format_iso(secret.created);
    out["updated"] = format_iso(secret.updated);
    if (options.reveal) {
        ojson data = ojson::object();
        const nlohmann::json stored = nlohmann::json::parse(options.reveal->content);
        for (const auto& [key, item] : stored.items()) {
            data[key] = item.get<std::string>();
        }
        out["content"] = options.yaml ? data : ojson{{"Data", data}};
    }
    if (options.revisions) {
        ojson list = ojson::array();
        for (const RevisionRow& r : revisions) {
            ojson revision = {{"revision", r.revision}};
            // Juju 4 leaves the backend out on Kubernetes models (jubilant reads it as optional
            // since it ran against 4.0).
            if (!(ctx.juju4() && model.type == "caas"))
                revision["backend"] = revision_backend(model);
            revision["created"] = format_iso(r.created);
            revision["updated"] = format_iso(r.created);
            list.push_back(std::move(revision));
        }
        out["revisions"] = list;
    }
    if (options.access) {
        ojson access = ojson::array();
        for (const std::string& app : secret_grants(ctx.db, secret.id)) {
            access.push_back({{"target", "application-" + app},
                              {"scope", "model-" + model.uuid},
                              {"role", "view"}});
        }
        if (!access.empty()) out["access"] = access;
    }
    return out;
}

// ---- commands -------------------------------------------------------------------------------

void cmd_add_secret(Context& ctx) {
    require_positionals(ctx, 1, 10000, "missing secret name");
    const ModelRow model = current_model(ctx);
    const std::string name = ctx.args.positionals()[0];
    const nlohmann::json content = read_content(ctx, 1);
    if (content.empty()) throw UsageError(ctx.command, "missing secret value");
    if (secret_by_name(ctx.db, model.id, name)) {
        throw CommandError(fmt::format("secret with name \"{}\" already exists", name));
    }
    const std::string id = secret_id(model, next_counter(ctx.db, "secret"), ctx.now);
    insert_secret(ctx.db, model.id,
                  {.id = id,
                   .name = name,
                   .description = ctx.args.value("info"),
                   .owner = "<model>",
                   .created = ctx.now});
    insert_revision(ctx.db, id, 1, content, ctx.now);
    ctx.out += "secret:" + id + "\n";
}

void cmd_update_secret(Context& ctx) {
    require_positionals(ctx, 1, 10000, "missing secret URI");
    const ModelRow model = current_model(ctx);
    SecretRow secret = resolve_secret(ctx, model, ctx.args.positionals()[0]);
    const nlohmann::json content = read_content(ctx, 1);
    const auto info = ctx.args.value("info");
    const auto new_name = ctx.args.value("name");
    const bool auto_prune = ctx.args.flag("auto-prune");
    if (content.empty() && !info && !new_name && !auto_prune) {
        throw UsageError(ctx.command, "at least one attribute to update must be specified");
    }
    if (new_name && *new_name != secret.name.value_or("")) {
        if (secret_by_name(ctx.db, model.id, *new_name)) {
            throw CommandError(fmt::format("secret with name \"{}\" already exists", *new_name));
        }
        secret.name = *new_name;
    }
    if (info) secret.description = *info;
    if (auto_prune) secret.auto_prune = true;
    if (!content.empty()) {
        const std::vector<RevisionRow> revisions = secret_revisions(ctx.db, secret.id);
        const std::int64_t next = revisions.empty() ? 1 : revisions.back().revision + 1;
        insert_revision(ctx.db, secret.id, next, content, ctx.now);
        // Auto-prune drops revisions no consumer tracks; nothing consumes secrets in the fake,
        // so every older revision goes.
        if (secret.auto_prune) {
            delete_revisions_before(ctx.db, secret.id, next);
        }
    }
    update_secret(ctx.db, secret, ctx.now);
}

int parse_revision(Context& ctx, const std::string& text, std::string_view flag) {
    try {
        std::size_t used = 0;
        const int n = std::stoi(text, &used);
        if (used == text.size()) return n;
    } catch (const std::logic_error&) {}
    throw UsageError(ctx.command,
                     fmt::format("invalid value \"{}\" for option {}: strconv.ParseInt: "
                                 "parsing \"{}\": invalid syntax",
                                 text, flag, text));
}

void cmd_remove_secret(Context& ctx) {
    require_positionals(ctx, 1, 1, "missing secret URI");
    const ModelRow model = current_model(ctx);
    const SecretRow secret = resolve_secret(ctx, model, ctx.args.positionals()[0]);
    const auto revision_text = ctx.args.value("revision");
    if (!revision_text) {
        delete_secret(ctx.db, secret.id);
        return;
    }
    const int revision = parse_revision(ctx, *revision_text, "--revision");
    if (revision <= 0) {
        delete_secret(ctx.db, secret.id);  // juju treats --revision 0 as "all revisions"
        return;
    }
    const std::vector<RevisionRow> revisions = secret_revisions(ctx.db, secret.id);
    const bool found = std::any_of(revisions.begin(), revisions.end(),
                                   [&](const RevisionRow& r) { return r.revision == revision; });
    if (!found) {
        throw CommandError(
            fmt::format("secret revision {} for \"{}\" not found", revision, secret.id));
    }
    if (revisions.size() == 1) {
        delete_secret(ctx.db, secret.id);
        return;
    }
    delete_revision(ctx.db, secret.id, revision);
}

void grant_or_revoke(Context& ctx, bool grant) {
    require_positionals(ctx, 2, 2, "missing secret URI or application name");
    const ModelRow model = current_model(ctx);
    const SecretRow secret = resolve_secret(ctx, model, ctx.args.positionals()[0]);
    const std::vector<std::string> apps = split(ctx.args.positionals()[1], ',');
    if (apps.empty()) throw UsageError(ctx.command, "missing secret URI or application name");
    std::vector<std::string> errors;
    for (const std::string& app : apps) {
        if (!find_app(ctx, model, app))
            errors.push_back(fmt::format("application \"{}\" not found", app));
    }
    if (!errors.empty()) {
        throw CommandError("failed to grant/revoke secret: " + join(errors, ", "));
    }
    for (const std::string& app : apps) {
        if (grant) {
            grant_secret(ctx.db, secret.id, app);
        } else {
            revoke_secret(ctx.db, secret.id, app);
        }
    }
}

void cmd_grant_secret(Context& ctx) { grant_or_revoke(ctx, true); }
void cmd_revoke_secret(Context& ctx) { grant_or_revoke(ctx, false); }

// --owner takes a tag ("application-foo", "model-<uuid>") or a plain owner as printed.
bool owner_matches(const ModelRow& model, const SecretRow& secret, const std::string& owner) {
    if (secret.owner == "<model>") {
        return owner == "<model>" || owner == "model" || owner == "model-" + model.uuid ||
               owner == model.name;
    }
    const std::string plain = owner.starts_with("application-") ? owner.substr(12) : owner;
    return secret.owner == plain;
}

std::string secrets_tabular(Context& ctx, const std::vector<SecretRow>& secrets) {
    struct Line {
        std::string id, name, owner, rotation, revision, age;
        std::int64_t latest = 0;
    };
    std::vector<Line> lines;
    for (const SecretRow& s : secrets) {
        const auto revisions = secret_revisions(ctx.db, s.id);
        const std::int64_t latest = revisions.empty() ? 0 : revisions.back().revision;
        lines.push_back({.id = s.id,
                         .name = s.name.value_or("-"),
                         .owner = s.owner,
                         .rotation = "",
                         .revision = std::to_string(latest),
                         .age = friendly_age(s.updated, ctx.now),
                         .latest = latest});
    }
    std::stable_sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) {
        if (a.owner != b.owner) return a.owner < b.owner;
        return a.latest > b.latest;
    });
    std::vector<std::array<std::string, 6>> rows = {
        {"ID", "Name", "Owner", "Rotation", "Revision", "Last updated"}};
    for (const Line& l : lines)
        rows.push_back({l.id, l.name, l.owner, l.rotation, l.revision, l.age});
    std::array<std::size_t, 6> width{};
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
    }
    std::string out;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        std::string line;
        for (std::size_t i = 0; i < rows[r].size(); ++i) {
            const std::string& cell = rows[r][i];
            const std::string pad(width[i] - cell.size(), ' ');
            // The revision column is right-aligned, as juju aligns it.
            line += (i ? "  " : "") + ((i == 4 && r > 0) ? pad + cell : cell + pad);
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out += line + "\n";
    }
    return out;
}

void cmd_secrets(Context& ctx) {
    require_positionals(ctx, 0, 0, "");
    const std::string format = output_format(ctx, {"tabular", "json", "yaml"});
    const ModelRow model = current_model(ctx);
    std::vector<SecretRow> secrets = model_secrets(ctx.db, model.id);
    if (auto owner = ctx.args.value("owner")) {
        std::erase_if(secrets,
                      [&](const SecretRow& s) { return !owner_matches(model, s, *owner); });
    }
    if (format == "tabular") {
        ctx.out += secrets_tabular(ctx, secrets);
        return;
    }
    ojson doc = ojson::object();
    const DetailOptions options{.revisions = ctx.args.flag("revisions"),
                                .access = false,
                                .reveal = std::nullopt,
                                .yaml = format == "yaml"};
    for (const SecretRow& s : secrets) doc[s.id] = secret_details(ctx, model, s, options);
    print_document(ctx, doc, format);
}

void cmd_show_secret(Context& ctx) {
    require_positionals(ctx, 1, 1, "secret ID is required");
    const std::string format = output_format(ctx, {"yaml", "json"});
    const bool reveal = ctx.args.flag("reveal");
    const bool revisions = ctx.args.flag("revisions");
    int revision = 0;  // 0: the latest
    if (auto text = ctx.args.value("revision")) {
        revision = parse_revision(ctx, *text, "--revision");
        if (revision < 0) throw UsageError(ctx.command, "revision must be a positive integer");
    }
    if (revisions && reveal) {
        throw UsageError(ctx.command, "specify either --revisions or --reveal but not both");
    }
    if (revisions && revision > 0) {
        throw UsageError(ctx.command, "specify either --revisions or --revision but not both");
    }
    const ModelRow model = current_model(ctx);
    const SecretRow secret = resolve_secret(ctx, model, ctx.args.positionals()[0]);
    DetailOptions options{
        .revisions = revisions, .access = true, .reveal = std::nullopt, .yaml = format == "yaml"};
    const std::vector<RevisionRow> all = secret_revisions(ctx.db, secret.id);
    if (revision > 0) {
        const auto it = std::find_if(all.begin(), all.end(),
                                     [&](const RevisionRow& r) { return r.revision == revision; });
        if (it == all.end()) {
            throw CommandError(
                fmt::format("secret \"{}\" revision {} not found", secret.id, revision));
        }
        if (reveal) options.reveal = *it;
    } else if (reveal && !all.empty()) {
        options.reveal = all.back();
    }
    ojson doc = ojson::object();
    doc[secret.id] = secret_details(ctx, model, secret, options);
    print_document(ctx, doc, format);
}

}  // namespace

std::vector<CommandDef> secret_commands() {
    const FlagSpec format = value({"--format"});
    return {
        {.name = "add-secret",
         .spec = {.flags = {value({"--file"}), value({"--info"})}},
         .run = cmd_add_secret},
        {.name = "grant-secret", .spec = {}, .run = cmd_grant_secret},
        {.name = "remove-secret",
         .spec = {.flags = {value({"--revision"})}},
         .run = cmd_remove_secret},
        {.name = "revoke-secret", .spec = {}, .run = cmd_revoke_secret},
        {.name = "secrets",
         .spec = {.flags = {format, value({"--owner"}), boolean({"--revisions"})}},
         .run = cmd_secrets},
        {.name = "show-secret",
         .spec = {.flags = {format, boolean({"--reveal"}), boolean({"--revisions"}),
                            value({"-r", "--revision"})}},
         .run = cmd_show_secret},
        {.name = "update-secret",
         .spec = {.flags = {value({"--file"}), value({"--info"}), value({"--name"}),
                            boolean({"--auto-prune"})}},
         .run = cmd_update_secret},
    };
}

}  // namespace jubilant::fake
