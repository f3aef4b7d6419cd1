// SSH keys: add-ssh-key, remove-ssh-key and ssh-keys, on the model's authorised keys
// (state/ssh_keys.hpp), checked and fingerprinted as juju 3.6 does.
#include <set>

#include <fmt/format.h>

#include "state/ssh_keys.hpp"
#include "support/digests.hpp"

namespace jubilant::fake {
namespace {

struct AuthorisedKey {
    std::string fingerprint{};
    std::string comment{};
};

// Parses an authorised_keys line ("[options] <type> <base64 blob> [comment]"): the blob must
// decode and start with its own type name, as in the SSH wire format.
std::optional<AuthorisedKey> parse_authorised_key(const std::string& key) {
    static const std::set<std::string, std::less<>> types = {"ssh-rsa",
                                                             "ssh-dss",
                                                             "ssh-ed25519",
                                                             "ecdsa-sha2-nistp256",
                                                             "ecdsa-sha2-nistp384",
                                                             "ecdsa-sha2-nistp521",
                                                             "sk-ssh-ed25519@openssh.com",
                                                             "sk-ecdsa-sha2-nistp256@openssh.com"};
    std::vector<std::string> fields;
    for (std::string& f : split(key, ' ')) {
        for (std::string& g : split(f, '\t')) fields.push_back(std::move(g));
    }
    for (std::size_t i = 0; i + 1 < fields.size(); ++i) {
        std::string type = fields[i];
        if (type.ends_with("-cert-v01@openssh.com")) type.resize(type.size() - 21);
        if (!types.contains(type)) continue;
        const auto blob = base64_decode(fields[i + 1]);
        if (!blob || blob->size() < 4) return std::nullopt;
        std::size_t length = 0;
        for (std::size_t b = 0; b < 4; ++b) {
            length = (length << 8) | static_cast<unsigned char>((*blob)[b]);
        }
        if (blob->size() < 4 + length || blob->substr(4, length) != fields[i]) return std::nullopt;
        return AuthorisedKey{
            .fingerprint = md5_fingerprint(*blob),
            .comment = join(
                std::vector<std::string>(fields.begin() + static_cast<long>(i) + 2, fields.end()),
                " ")};
    }
    return std::nullopt;
}

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

void cmd_add_ssh_key(Context& ctx) {
    require_positionals(ctx, 1, 100000, "no ssh key specified");
    const ModelRow model = current_model(ctx);
    for (const std::string& arg : ctx.args.positionals()) {
        const std::string key = trimmed(arg);
        const auto parsed =
            key.find('\n') == std::string::npos ? parse_authorised_key(key) : std::nullopt;
        // juju reports each rejected key and still exits 0.
        if (!parsed) {
            ctx.err += fmt::format("cannot add key \"{}\": invalid ssh key: {}\n", arg, arg);
            continue;
        }
        if (ssh_key_exists(ctx, model, parsed->fingerprint)) {
            ctx.err += fmt::format("cannot add key \"{}\": duplicate ssh key: {}\n", arg, arg);
            continue;
        }
        insert_ssh_key(
            ctx, model,
            {.fingerprint = parsed->fingerprint, .comment = parsed->comment, .key = key});
    }
}

// Removes keys by fingerprint, comment or full key text. The model's internal juju keys are
// neither stored nor listed; they always remain, so removing every listed key is allowed.
void cmd_remove_ssh_key(Context& ctx) {
    require_positionals(ctx, 1, 100000, "no ssh key id specified");
    const ModelRow model = current_model(ctx);
    for (const std::string& id : ctx.args.positionals()) {
        if (id == "juju-client-key" || id == "juju-system-key") {
            ctx.err += fmt::format("cannot remove key id \"{}\": may not delete internal key: {}\n",
                                   id, id);
            continue;
        }
        if (delete_ssh_keys(ctx, model, id, trimmed(id)) == 0) {
            ctx.err += fmt::format("cannot remove key id \"{}\": invalid ssh key: {}\n", id, id);
        }
    }
}

void cmd_ssh_keys(Context& ctx) {
    require_positionals(ctx, 0, 0, "");
    const ModelRow model = current_model(ctx);
    const bool full = ctx.args.flag("full");
    std::vector<std::string> lines;
    for (const SshKeyRow& key : model_ssh_keys(ctx, model)) {
        if (full) {
            lines.push_back(key.key);
        } else {
            lines.push_back(key.fingerprint +
                            (key.comment.empty() ? "" : " (" + key.comment + ")"));
        }
    }
    if (lines.empty()) {
        ctx.err += "No keys to display.\n";
        return;
    }
    ctx.out += fmt::format("Keys used in model: {}\n", model.short_name());
    for (const std::string& line : lines) ctx.out += line + "\n";
}

}  // namespace

std::vector<CommandDef> ssh_key_commands() {
    return {
        {.name = "add-ssh-key", .spec = {}, .run = cmd_add_ssh_key},
        {.name = "remove-ssh-key", .spec = {}, .run = cmd_remove_ssh_key},
        {.name = "ssh-keys", .spec = {.flags = {boolean({"--full"})}}, .run = cmd_ssh_keys},
    };
}

}  // namespace jubilant::fake
