// Clouds and credentials as juju 3.6 lists and shows them: clouds, show-cloud, remove-cloud,
// credentials, show-credential, and the public clouds every juju client knows.
//
// Where a cloud lives: the client knows juju's public clouds (compiled in), the built-in
// `localhost` and `microk8s`, and clouds added with `add-cloud --client` (table `clouds`, scope
// "client"); a controller knows the cloud it was bootstrapped on and clouds added to it
// (scope = the controller's name). Credentials: table `credentials`, same scopes.
#include <algorithm>
#include <array>
#include <map>
#include <set>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "engine_internal.hpp"
#include "state/clouds.hpp"
#include "state/controllers.hpp"
#include "state/models.hpp"
#include "support/tab_writer.hpp"
#include "support/yaml_input.hpp"

namespace jubilant::fake {
namespace {

// ---- the public clouds --------------------------------------------------------------------

// juju's public cloud list (cloud/fallback-public-cloud.yaml), regions in juju's order: the
// first is the default. Every region of a cloud shares one endpoint shape ("{}" = region).
struct PublicCloud {
    const char* name;
    const char* type;
    const char* description;
    std::vector<const char*> auth_types;
    const char* endpoint;
    const char* storage_endpoint;
    const char* identity_endpoint;
    std::vector<const char*> regions;
};

const std::vector<PublicCloud>& public_clouds() {
    static const std::vector<PublicCloud> clouds = {
        {"aws",
         "ec2",
         "Amazon Web Services",
         {"access-key"},
         "https://ec2.{}.amazonaws.com",
         "",
         "",
         {"us-east-1",      "us-east-2",      "us-west-1",      "us-west-2",      "ca-central-1",
          "eu-west-1",      "eu-west-2",      "eu-west-3",      "eu-central-1",   "eu-north-1",
          "eu-south-1",     "af-south-1",     "ap-east-1",      "ap-south-1",     "ap-southeast-1",
          "ap-southeast-2", "ap-southeast-3", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
          "me-south-1",     "sa-east-1"}},
        {"aws-china",
         "ec2",
         "Amazon China",
         {"access-key"},
         "https://ec2.{}.amazonaws.com.cn",
         "",
         "",
         {"cn-north-1", "cn-northwest-1"}},
        {"aws-gov",
         "ec2",
         "Amazon (USA Government)",
         {"access-key"},
         "https://ec2.{}.amazonaws.com",
         "",
         "",
         {"us-gov-west-1", "us-gov-east-1"}},
        {"azure",
         "azure",
         "Microsoft Azure",
         {"interactive", "service-principal-secret"},
         "https://management.azure.com",
         "https://core.windows.net",
         "https://graph.windows.net",
         {"centralus",
          "eastus",
          "eastus2",
          "northcentralus",
          "southcentralus",
          "westcentralus",
          "westus",
          "westus2",
          "westus3",
          "northeurope",
          "westeurope",
          "eastasia",
          "southeastasia",
          "japaneast",
          "japanwest",
          "brazilsouth",
          "australiacentral",
          "australiacentral2",
          "australiaeast",
          "australiasoutheast",
          "centralindia",
          "southindia",
          "westindia",
          "canadacentral",
          "canadaeast",
          "uksouth",
          "ukwest",
          "koreacentral",
          "koreasouth",
          "francecentral",
          "francesouth",
          "southafricanorth",
          "southafricawest",
          "germanynorth",
          "germanywestcentral",
          "uaecentral",
          "uaenorth",
          "norwayeast",
          "norwaywest",
          "switzerlandnorth",
          "switzerlandwest",
          "swedencentral",
          "qatarcentral"}},
        {"azure-china",
         "azure",
         "Microsoft Azure China",
         {"interactive", "service-principal-secret"},
         "https://management.chinacloudapi.cn",
         "https://core.chinacloudapi.cn",
         "https://graph.chinacloudapi.cn",
         {"chinaeast", "chinaeast2", "chinanorth", "chinanorth2"}},
        {"equinix",
         "equinix",
         "Equinix Metal",
         {"access-key"},
         "https://api.equinix.com/metal/v1/",
         "",
         "",
         {"px", "dc", "at", "hk",  "am", "ny", "sl", "ty", "fr", "sy", "ld", "sg", "kc",
          "pa", "tr", "mr", "YYZ", "ho", "se", "sv", "la", "ch", "da", "pi", "dt"}},
        {"google",
         "gce",
         "Google Cloud Platform",
         {"jsonfile", "oauth2"},
         "https://www.googleapis.com",
         "",
         "",
         {"us-east1",          "us-east4",        "us-central1",     "us-west1",
          "us-west2",          "us-west3",        "us-west4",        "asia-east1",
          "asia-east2",        "asia-northeast1", "asia-northeast2", "asia-northeast3",
          "asia-south1",       "asia-southeast1", "asia-southeast2", "australia-southeast1",
          "europe-central2",   "europe-north1",   "europe-west1",    "europe-west2",
          "europe-west3",      "europe-west4",    "europe-west6",    "northamerica-northeast1",
          "southamerica-east1"}},
        {"oracle",
         "oci",
         "Oracle Cloud Infrastructure",
         {"httpsig"},
         "https://iaas.{}.oraclecloud.com",
         "",
         "",
         {"us-phoenix-1", "us-ashburn-1", "eu-frankfurt-1", "uk-london-1"}},
    };
    return clouds;
}

std::string with_region(const char* pattern, std::string_view region) {
    std::string out = pattern;
    if (const auto at = out.find("{}"); at != std::string::npos) out.replace(at, 2, region);
    return out;
}

CloudInfo public_cloud_info(const PublicCloud& p) {
    CloudInfo info{
        .name = p.name, .type = p.type, .description = p.description, .source = "public"};
    for (const char* a : p.auth_types) info.auth_types.emplace_back(a);
    for (const char* r : p.regions) {
        info.regions.push_back({.name = r,
                                .endpoint = with_region(p.endpoint, r),
                                .identity_endpoint = p.identity_endpoint,
                                .storage_endpoint = p.storage_endpoint});
    }
    return info;
}

// The clouds a client detects on its own machine. The microk8s auth type and its missing
// endpoint (a real one has https://<address>:16443) are the fake's choice, not checked
// against a juju 3.6 client.
std::optional<CloudInfo> builtin_cloud(std::string_view name) {
    if (name == "localhost") {
        return CloudInfo{.name = "localhost",
                         .type = "lxd",
                         .description = "LXD Container Hypervisor",
                         .auth_types = {"certificate"},
                         .regions = {{.name = "localhost"}},
                         .source = "built-in"};
    }
    if (name == "microk8s") {
        return CloudInfo{.name = "microk8s",
                         .type = "k8s",
                         .description = "A Kubernetes Cluster",
                         .auth_types = {"clientcertificate"},
                         .regions = {{.name = "localhost"}},
                         .source = "built-in"};
    }
    return std::nullopt;
}

bool is_builtin(std::string_view name) { return name == "localhost" || name == "microk8s"; }

std::string scalar(const YAML::Node& node, const char* key) {
    const YAML::Node v = node[key];
    return v && v.IsScalar() ? v.Scalar() : std::string();
}

// A cloud as add-cloud stored it: its definition file's map (regions a map of name to
// endpoints, or a list of names).
// Reads YAML the fake stored itself (it wrote it from a file it had parsed).
YAML::Node stored_yaml(const std::string& text, std::string_view what) {
    try {
        return load_bounded_yaml(text);
    } catch (const YAML::Exception&) {
        throw CommandError(
            fmt::format("the fake's stored {} does not parse; use a fresh FAKE_JUJU_DATA", what));
    }
}

CloudInfo stored_cloud_info(const std::string& name, const std::string& definition) {
    const YAML::Node def = stored_yaml(definition, "cloud definition");
    std::string type = scalar(def, "type");
    if (type == "kubernetes") type = "k8s";  // as juju prints it
    CloudInfo info{.name = name,
                   .type = type,
                   .description = scalar(def, "description"),
                   .endpoint = scalar(def, "endpoint"),
                   .identity_endpoint = scalar(def, "identity-endpoint"),
                   .storage_endpoint = scalar(def, "storage-endpoint"),
                   .source = "local"};
    if (const YAML::Node auth = def["auth-types"]; auth && auth.IsSequence()) {
        for (const auto& a : auth) info.auth_types.push_back(a.Scalar());
    }
    if (const YAML::Node regions = def["regions"]; regions && regions.IsMap()) {
        for (const auto& r : regions) {
            CloudRegion region{.name = r.first.Scalar()};
            if (r.second.IsMap()) {
                region.endpoint = scalar(r.second, "endpoint");
                region.identity_endpoint = scalar(r.second, "identity-endpoint");
                region.storage_endpoint = scalar(r.second, "storage-endpoint");
            }
            info.regions.push_back(std::move(region));
        }
    } else if (regions && regions.IsSequence()) {
        for (const auto& r : regions) info.regions.push_back({.name = r.Scalar()});
    }
    return info;
}

// The client's clouds by name: public, then built-in, then its own (which hide the others).
std::map<std::string, CloudInfo> client_clouds(Context& ctx) {
    std::map<std::string, CloudInfo> out;
    for (const auto& p : public_clouds()) out.emplace(p.name, public_cloud_info(p));
    for (const auto& stored : stored_clouds(ctx.db, "client")) {
        out[stored.name] = is_builtin(stored.name)
                               ? *builtin_cloud(stored.name)
                               : stored_cloud_info(stored.name, stored.definition);
    }
    return out;
}

// A controller's clouds: the one it was bootstrapped on (as the client described it) and the
// ones added to it. juju reports them all as "defined: public", with the users who may use them.
std::map<std::string, CloudInfo> controller_clouds(Context& ctx, const std::string& controller) {
    std::map<std::string, CloudInfo> out;
    if (const auto row = find_controller(ctx.db, controller)) {
        if (auto own = client_cloud(ctx, row->cloud)) out.emplace(row->cloud, std::move(*own));
    }
    for (const auto& stored : stored_clouds(ctx.db, controller)) {
        out[stored.name] = stored_cloud_info(stored.name, stored.definition);
    }
    for (auto& [name, info] : out) {
        info.source = "public";
        info.users = true;
    }
    return out;
}

// ---- credentials --------------------------------------------------------------------------

struct StoredCredential {
    std::string cloud{};
    std::string name{};
    std::string auth_type{};
    std::map<std::string, std::string> attributes{};  ///< sorted, as Go prints a map
};

// The credentials stored in `scope`, their contents read.
std::vector<StoredCredential> read_credentials(Context& ctx, const std::string& scope) {
    std::vector<StoredCredential> out;
    for (const CredentialRow& row : stored_credentials(ctx.db, scope)) {
        StoredCredential cred{.cloud = row.cloud, .name = row.name};
        const YAML::Node node = stored_yaml(row.content, "credential");
        if (node.IsMap()) {
            for (const auto& item : node) {
                const std::string key = item.first.Scalar();
                const std::string text = item.second.IsScalar() ? item.second.Scalar() : "";
                if (key == "auth-type") {
                    cred.auth_type = text;
                } else {
                    cred.attributes[key] = text;
                }
            }
        }
        out.push_back(std::move(cred));
    }
    return out;
}

// Attributes juju's providers mark hidden in their credential schemas (ec2 secret-key, gce
// private-key, azure application-password, oci key and pass-phrase, equinix api-token, lxd
// client-key and trust-password, kubernetes client-key-data, token and password, openstack
// and vsphere password, maas maas-oauth): left out unless --show-secrets. The fake hides
// them by name whatever the cloud's type.
bool hidden_attribute(std::string_view key) {
    static const std::set<std::string_view> hidden = {
        "api-token",   "application-password", "client-key",  "client-key-data",
        "key",         "maas-oauth",           "pass-phrase", "password",
        "private-key", "secret-key",           "token",       "trust-password"};
    return hidden.contains(key);
}

void drop_secrets(std::vector<StoredCredential>& credentials) {
    for (auto& cred : credentials) {
        std::erase_if(cred.attributes,
                      [](const auto& item) { return hidden_attribute(item.first); });
    }
}

// Where a read-only cloud or credential command looks: --client and/or --controller, and both
// the client and the current controller when neither is given (juju does not prompt for
// read-only commands).
struct Where {
    bool client = false;
    std::optional<std::string> controller{};
    bool client_flag = false;  ///< --client was on the command line
};

Where read_only_scope(Context& ctx) {
    Where where{.client = ctx.args.flag("client"), .client_flag = ctx.args.flag("client")};
    if (auto c = ctx.args.value("controller")) where.controller = resolve_controller(ctx, c);
    if (!where.client && !where.controller) {
        where.client = true;
        const std::string current = meta_get(ctx.db, "current_controller");
        if (!current.empty()) where.controller = current;
    }
    return where;
}

// ---- rendering ----------------------------------------------------------------------------

std::string yaml_scalar(const std::string& text) {
    std::string out = to_yaml(ojson(text));
    if (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

struct CloudView {
    const CloudInfo* info;
    std::string default_region{};
    std::size_t credential_count = 0;
};

// CloudDetails as juju's YAML writes it (yaml.v2: struct order, flow auth-types, regions in
// their own order, empty region details as {}), indented by `indent` spaces.
std::string cloud_yaml(const CloudView& view, std::size_t indent) {
    const CloudInfo& c = *view.info;
    const std::string pad(indent, ' ');
    std::string out;
    auto line = [&](std::string_view key, const std::string& v) {
        if (!v.empty()) out += fmt::format("{}{}: {}\n", pad, key, yaml_scalar(v));
    };
    line("defined", c.source);
    out += fmt::format("{}type: {}\n", pad, yaml_scalar(c.type));
    line("description", c.description);
    if (!c.auth_types.empty()) {
        std::vector<std::string> quoted;
        for (const auto& a : c.auth_types) quoted.push_back(yaml_scalar(a));
        out += fmt::format("{}auth-types: [{}]\n", pad, join(quoted, ", "));
    }
    line("endpoint", c.endpoint);
    line("identity-endpoint", c.identity_endpoint);
    line("storage-endpoint", c.storage_endpoint);
    line("default-region", view.default_region);
    if (view.credential_count > 0)
        out += fmt::format("{}credential-count: {}\n", pad, view.credential_count);
    if (!c.regions.empty()) {
        out += pad + "regions:\n";
        for (const auto& r : c.regions) {
            // A region repeats its cloud's endpoints only where they differ.
            const std::string endpoint = r.endpoint != c.endpoint ? r.endpoint : "";
            const std::string identity =
                r.identity_endpoint != c.identity_endpoint ? r.identity_endpoint : "";
            const std::string storage =
                r.storage_endpoint != c.storage_endpoint ? r.storage_endpoint : "";
            if (endpoint.empty() && identity.empty() && storage.empty()) {
                out += fmt::format("{}  {}: {{}}\n", pad, yaml_scalar(r.name));
                continue;
            }
            out += fmt::format("{}  {}:\n", pad, yaml_scalar(r.name));
            if (!endpoint.empty())
                out += fmt::format("{}    endpoint: {}\n", pad, yaml_scalar(endpoint));
            if (!identity.empty())
                out += fmt::format("{}    identity-endpoint: {}\n", pad, yaml_scalar(identity));
            if (!storage.empty())
                out += fmt::format("{}    storage-endpoint: {}\n", pad, yaml_scalar(storage));
        }
    }
    if (c.users) {
        out += pad + "users:\n" + pad + "  admin:\n" + pad + "    display-name: admin\n" + pad +
               "    access: admin\n";
    }
    return out;
}

// CloudDetails as juju's JSON writes it: struct order, regions as a map (sorted).
ojson cloud_json(const CloudView& view) {
    const CloudInfo& c = *view.info;
    ojson out = ojson::object();
    auto field = [&](const char* key, const std::string& v) {
        if (!v.empty()) out[key] = v;
    };
    field("defined", c.source);
    out["type"] = c.type;
    field("description", c.description);
    if (!c.auth_types.empty()) out["auth-types"] = c.auth_types;
    field("endpoint", c.endpoint);
    field("identity-endpoint", c.identity_endpoint);
    field("storage-endpoint", c.storage_endpoint);
    field("default-region", view.default_region);
    if (view.credential_count > 0) out["credential-count"] = view.credential_count;
    if (!c.regions.empty()) {
        std::map<std::string, ojson> regions;
        for (const auto& r : c.regions) {
            ojson region = ojson::object();
            if (r.endpoint != c.endpoint) region["endpoint"] = r.endpoint;
            if (r.identity_endpoint != c.identity_endpoint)
                region["identity-endpoint"] = r.identity_endpoint;
            if (r.storage_endpoint != c.storage_endpoint)
                region["storage-endpoint"] = r.storage_endpoint;
            for (const char* key : {"endpoint", "identity-endpoint", "storage-endpoint"}) {
                if (region.contains(key) && region[key].get<std::string>().empty())
                    region.erase(key);
            }
            regions[r.name] = std::move(region);
        }
        ojson map = ojson::object();
        for (auto& [name, region] : regions) map[name] = std::move(region);
        out["regions"] = std::move(map);
    }
    if (c.users) out["users"] = {{"admin", {{"display-name", "admin"}, {"access", "admin"}}}};
    return out;
}

std::size_t credential_count(const std::vector<StoredCredential>& client,
                             const std::string& cloud) {
    return static_cast<std::size_t>(std::count_if(
        client.begin(), client.end(), [&](const StoredCredential& c) { return c.cloud == cloud; }));
}

// ---- clouds -------------------------------------------------------------------------------

void cmd_clouds(Context& ctx) {
    require_positionals(ctx, 0, 0, "");
    const std::string format = output_format(ctx, {"tabular", "json", "yaml"});
    const Where where = read_only_scope(ctx);
    const auto client_creds = read_credentials(ctx, "client");
    std::map<std::string, CloudInfo> local;
    std::map<std::string, CloudInfo> remote;
    if (where.client) local = client_clouds(ctx);
    if (where.controller) remote = controller_clouds(ctx, *where.controller);
    // Without --all, public clouds the client has no credential for are left out.
    bool hid_some = false;
    if (!ctx.args.flag("all")) {
        std::erase_if(local, [&](const auto& item) {
            const bool hide =
                item.second.source == "public" && credential_count(client_creds, item.first) == 0;
            hid_some = hid_some || hide;
            return hide;
        });
    }
    if (hid_some) {
        ctx.err += local.empty() && remote.empty()
                       ? "No clouds with registered credentials to show.\n"
                       : "Only clouds with registered credentials are shown.\n";
        ctx.err += "There are more clouds, use --all to see them.\n";
    }
    auto view = [&](const CloudInfo& info) {
        return CloudView{.info = &info,
                         .default_region = {},
                         .credential_count = credential_count(client_creds, info.name)};
    };
    if (format != "tabular") {
        std::map<std::string, const CloudInfo*> all;
        for (const auto& [name, info] : local) all[name] = &info;
        for (const auto& [name, info] : remote) all[name] = &info;
        if (format == "json") {
            ojson doc = ojson::object();
            for (const auto& [name, info] : all) doc[name] = cloud_json(view(*info));
            print_document(ctx, doc, format);
        } else {
            std::string text;
            for (const auto& [name, info] : all)
                text += yaml_scalar(name) + ":\n" + cloud_yaml(view(*info), 2);
            ctx.out += all.empty() ? "{}\n" : text;
        }
        return;
    }
    TabText t;
    auto rows = [&](const std::map<std::string, CloudInfo>& clouds, bool tail) {
        for (const auto& [name, info] : clouds) {
            std::string description = info.description;
            if (description.size() > 40) description.resize(39);
            t.print(name, info.regions.size(),
                    info.regions.empty() ? "" : info.regions.front().name, info.type);
            if (tail) {
                t.println(credential_count(client_creds, name), info.source, description);
            } else {
                t.println();
            }
        }
    };
    if (!remote.empty()) {
        t.println("\nClouds available on the controller:");
        t.println("Cloud", "Regions", "Default", "Type");
        rows(remote, false);
    }
    if (!local.empty()) {
        if (remote.empty())
            t.println("You can bootstrap a new controller using one of these clouds...");
        t.println("\nClouds available on the client:");
        t.println("Cloud", "Regions", "Default", "Type", "Credentials", "Source", "Description");
        rows(local, true);
    }
    ctx.out += t.layout();
}

// ---- show-cloud ---------------------------------------------------------------------------

struct CloudOutput {
    std::string summary;
    CloudView view;
};

void cmd_show_cloud(Context& ctx) {
    if (ctx.args.positionals().size() != 1) throw UsageError(ctx.command, "no cloud specified");
    const std::string name = ctx.args.positionals()[0];
    const std::string format = output_format(ctx, {"display", "yaml", "json"});
    const Where where = read_only_scope(ctx);
    const auto client_creds = read_credentials(ctx, "client");
    std::map<std::string, CloudInfo> remote;
    std::map<std::string, CloudInfo> local;
    std::vector<CloudOutput> outputs;
    bool failed = false;
    if (where.controller) {
        remote = controller_clouds(ctx, *where.controller);
        if (const auto it = remote.find(name); it != remote.end()) {
            outputs.push_back(
                {fmt::format("Cloud \"{}\" from controller \"{}\"", name, *where.controller),
                 {.info = &it->second, .credential_count = credential_count(client_creds, name)}});
        } else {
            // The controller's API answers a cloud it does not have with not-found (the
            // client's wording: api/client/cloud), which juju prints before carrying on with
            // the client's copy.
            ctx.err += fmt::format("ERROR cloud {} not found\n", name);
            failed = true;
        }
    }
    if (where.client) {
        local = client_clouds(ctx);
        if (const auto it = local.find(name); it != local.end()) {
            outputs.push_back(
                {fmt::format("Client cloud \"{}\"", name),
                 {.info = &it->second, .credential_count = credential_count(client_creds, name)}});
        } else {
            std::vector<std::string> names;
            for (const auto& [n, _] : local) names.push_back(n);
            ctx.err +=
                fmt::format("ERROR cloud {} not found, possible alternative clouds:\n\n  - {}\n",
                            name, join(names, "\n  - "));
            failed = true;
        }
    }
    if (format == "json") {
        if (!outputs.empty()) {
            ojson list = ojson::array();
            for (const auto& o : outputs) {
                ojson item = {{"name", name}, {"summary", o.summary}};
                const ojson details = cloud_json(o.view);
                for (const auto& [key, v] : details.items()) item[key] = v;
                list.push_back(std::move(item));
            }
            print_document(ctx, list, format);
        }
    } else {
        for (const auto& o : outputs) {
            if (format == "display") {
                ctx.out += o.summary + ":\n\n" + cloud_yaml(o.view, 0);
                if (outputs.size() > 1) ctx.out += "\n";
            } else {
                ctx.out += "name: " + yaml_scalar(name) + "\nsummary: " + yaml_scalar(o.summary) +
                           "\n" + cloud_yaml(o.view, 0);
                if (outputs.size() > 1) ctx.out += "---\n";
            }
        }
    }
    if (failed) ctx.returncode = 1;
}

// ---- remove-cloud -------------------------------------------------------------------------

// A command that changes clouds or credentials asks which copy to change when it is given
// neither --client nor --controller; with no terminal to ask on, juju gives up (exit code 1).
void refuse_to_guess_scope(Context& ctx) {
    ctx.err +=
        "This operation can be applied to both a copy on this client and to the one on a "
        "controller.\nERROR The command is piped and Juju cannot prompt to clarify whether the "
        "--client or a --controller is to be used.\nPlease clarify by re-running the command "
        "with the desired option(s).\n";
    ctx.returncode = 1;
}

void cmd_remove_cloud(Context& ctx) {
    if (ctx.args.positionals().empty())
        throw UsageError(ctx.command, "Usage: juju remove-cloud <cloud name>");
    require_positionals(ctx, 1, 1, "");
    const std::string name = ctx.args.positionals()[0];
    const bool client = ctx.args.flag("client");
    const auto controller_flag = ctx.args.value("controller");
    if (!client && !controller_flag) {
        refuse_to_guess_scope(ctx);
        return;
    }
    if (client) {
        const auto clouds = client_clouds(ctx);
        const auto it = clouds.find(name);
        if (it == clouds.end()) {
            ctx.err += fmt::format("No cloud called \"{}\" exists on this client\n", name);
        } else if (it->second.source == "built-in") {
            ctx.err += fmt::format("Cannot remove built-in cloud \"{}\" from client\n", name);
        } else if (it->second.source == "public") {
            ctx.err += fmt::format("Cannot remove public cloud \"{}\" from client\n", name);
            if (credential_count(read_credentials(ctx, "client"), name) > 0) {
                ctx.err +=
                    "To hide this cloud, remove it's credentials with `juju remove-credential`\n";
            }
        } else {
            delete_cloud(ctx.db, "client", name);
            ctx.err += fmt::format("Removed details of cloud \"{}\" from this client\n", name);
        }
    }
    if (controller_flag) {
        const std::string controller = resolve_controller(ctx, controller_flag);
        const auto clouds = controller_clouds(ctx, controller);
        if (!clouds.contains(name)) {
            ctx.err += fmt::format("No cloud called \"{}\" exists on controller \"{}\"\n", name,
                                   controller);
            return;
        }
        const std::int64_t models = count_cloud_models(ctx.db, controller, name);
        if (models > 0) {
            // The controller's refusal (juju's state.RemoveCloud), printed as remove-cloud does.
            ctx.err +=
                fmt::format("ERROR cloud is used by {} model{}\n", models, models == 1 ? "" : "s");
            ctx.returncode = 1;
            return;
        }
        delete_cloud(ctx.db, controller, name);
        ctx.err += fmt::format("Removed details of cloud \"{}\" from controller \"{}\"\n", name,
                               controller);
    }
}

// ---- credentials --------------------------------------------------------------------------

using CredentialsByCloud = std::map<std::string, std::vector<StoredCredential>>;

CredentialsByCloud by_cloud(std::vector<StoredCredential> credentials,
                            const std::string& only_cloud) {
    CredentialsByCloud out;
    for (auto& c : credentials) {
        if (only_cloud.empty() || c.cloud == only_cloud) out[c.cloud].push_back(std::move(c));
    }
    return out;
}

ojson credentials_json(const CredentialsByCloud& group) {
    ojson out = ojson::object();
    for (const auto& [cloud, creds] : group) {
        ojson named = ojson::object();
        for (const auto& c : creds) {
            ojson item = {{"auth-type", c.auth_type}};
            if (!c.attributes.empty()) item["details"] = c.attributes;
            named[c.name] = std::move(item);
        }
        out[cloud] = {{"cloud-credentials", std::move(named)}};
    }
    return out;
}

std::string credentials_yaml(const CredentialsByCloud& group) {
    std::string out;
    for (const auto& [cloud, creds] : group) {
        out += "  " + yaml_scalar(cloud) + ":\n";
        for (const auto& c : creds) {
            out += "    " + yaml_scalar(c.name) +
                   ":\n      auth-type: " + yaml_scalar(c.auth_type) + "\n";
            for (const auto& [key, v] : c.attributes)
                out += "      " + yaml_scalar(key) + ": " + yaml_scalar(v) + "\n";
        }
    }
    return out;
}

void credential_rows(TabText& t, const CredentialsByCloud& group) {
    t.println("Cloud", "Credentials");
    for (const auto& [cloud, creds] : group) {
        std::vector<std::string> names;
        for (const auto& c : creds) names.push_back(c.name);
        t.println(cloud, join(names, ", "));
    }
}

void cmd_credentials(Context& ctx) {
    require_positionals(ctx, 0, 1, "");
    const std::string only_cloud = ctx.args.positionals().empty() ? "" : ctx.args.positionals()[0];
    const std::string format = output_format(ctx, {"tabular", "json", "yaml"});
    bool show_secrets = ctx.args.flag("show-secrets");
    if (show_secrets && format == "tabular") {
        ctx.err += "secrets are not shown in tabular format\n";
        show_secrets = false;
    }
    const Where where = read_only_scope(ctx);
    CredentialsByCloud client;
    CredentialsByCloud controller;
    if (where.client) {
        auto creds = read_credentials(ctx, "client");
        if (!show_secrets) drop_secrets(creds);
        client = by_cloud(std::move(creds), only_cloud);
    }
    if (where.controller) {
        auto creds = read_credentials(ctx, *where.controller);
        if (!show_secrets) drop_secrets(creds);
        controller = by_cloud(std::move(creds), "");
    }
    if (format == "json") {
        ojson doc = ojson::object();
        if (!client.empty()) doc["client-credentials"] = credentials_json(client);
        if (!controller.empty()) doc["controller-credentials"] = credentials_json(controller);
        print_document(ctx, doc, format);
        return;
    }
    if (format == "yaml") {
        std::string text;
        if (!client.empty()) text += "client-credentials:\n" + credentials_yaml(client);
        if (!controller.empty()) text += "controller-credentials:\n" + credentials_yaml(controller);
        ctx.out += text.empty() ? "{}\n" : text;
        return;
    }
    // juju decides which "nothing to show" line to print from --client alone.
    if (where.client_flag ? client.empty() : controller.empty()) {
        ctx.out += where.client_flag ? "No credentials from this client to display.\n"
                                     : "No credentials from any controller to display.\n";
    }
    if (client.empty() && controller.empty()) return;
    TabText t;
    if (!controller.empty()) {
        t.println("\nController Credentials:");
        credential_rows(t, controller);
    }
    if (!client.empty()) {
        t.println("\nClient Credentials:");
        credential_rows(t, client);
    }
    ctx.out += t.layout();
}

// ---- show-credential ----------------------------------------------------------------------

std::string shown_credentials_yaml(Context& ctx, const CredentialsByCloud& group,
                                   const std::optional<std::string>& controller) {
    std::string out;
    for (const auto& [cloud, creds] : group) {
        out += "  " + yaml_scalar(cloud) + ":\n";
        for (const auto& c : creds) {
            out += "    " + yaml_scalar(c.name) +
                   ":\n      content:\n        auth-type: " + yaml_scalar(c.auth_type) + "\n";
            if (controller) out += "        validity-check: valid\n";
            for (const auto& [key, v] : c.attributes)
                out += "        " + yaml_scalar(key) + ": " + yaml_scalar(v) + "\n";
            if (!controller) continue;
            const std::vector<std::string> models =
                credential_model_names(ctx.db, *controller, cloud, c.name);
            if (models.empty()) continue;
            out += "      models:\n";
            for (const auto& m : models) out += "        " + yaml_scalar(m) + ": admin\n";
        }
    }
    return out;
}

void cmd_show_credential(Context& ctx) {
    const auto& p = ctx.args.positionals();
    if (p.size() == 1) throw UsageError(ctx.command, "both cloud and credential name are needed");
    if (p.size() > 2)
        throw UsageError(ctx.command, "only cloud and credential names are supported");
    output_format(ctx, {"yaml"});
    const std::string cloud = p.empty() ? "" : p[0];
    const std::string name = p.empty() ? "" : p[1];
    const Where where = read_only_scope(ctx);
    const bool show_secrets = ctx.args.flag("show-secrets");
    auto select = [&](std::vector<StoredCredential> creds) {
        if (!show_secrets) drop_secrets(creds);
        std::erase_if(creds, [&](const StoredCredential& c) {
            return !cloud.empty() && (c.cloud != cloud || c.name != name);
        });
        return by_cloud(std::move(creds), "");
    };
    CredentialsByCloud client;
    CredentialsByCloud controller;
    if (where.client) {
        auto all = read_credentials(ctx, "client");
        const bool cloud_known =
            cloud.empty() ||
            std::any_of(all.begin(), all.end(), [&](const auto& c) { return c.cloud == cloud; });
        if (cloud_known) {
            client = select(std::move(all));
        } else {
            ctx.err += fmt::format(
                "client credential content lookup failed: client credentials for cloud "
                "\"{}\" not found\n",
                cloud);
        }
    }
    if (where.controller) controller = select(read_credentials(ctx, *where.controller));
    if (client.empty() && controller.empty()) {
        ctx.err += "No credentials from this client or from a controller to display.\n";
        return;
    }
    if (!controller.empty())
        ctx.out +=
            "controller-credentials:\n" + shown_credentials_yaml(ctx, controller, where.controller);
    if (!client.empty())
        ctx.out += "client-credentials:\n" + shown_credentials_yaml(ctx, client, std::nullopt);
}

}  // namespace

std::optional<CloudInfo> client_cloud(Context& ctx, const std::string& name) {
    auto clouds = client_clouds(ctx);
    const auto it = clouds.find(name);
    if (it == clouds.end()) return std::nullopt;
    return std::move(it->second);
}

std::optional<CloudInfo> controller_cloud(Context& ctx, const std::string& controller,
                                          const std::string& name) {
    auto clouds = controller_clouds(ctx, controller);
    const auto it = clouds.find(name);
    if (it == clouds.end()) return std::nullopt;
    return std::move(it->second);
}

std::vector<CommandDef> cloud_commands() {
    const FlagSpec format = value({"--format"});
    const FlagSpec controller = value({"-c", "--controller"});
    const FlagSpec client = boolean({"--client"});
    const FlagSpec no_browser = boolean({"-B", "--no-browser-login"});
    return {
        {.name = "clouds",
         .spec = {.flags = {format, controller, client, no_browser, boolean({"--all"})}},
         .run = cmd_clouds,
         .model_scoped = false},
        {.name = "credentials",
         .spec = {.flags = {format, controller, client, no_browser, boolean({"--show-secrets"})}},
         .run = cmd_credentials,
         .model_scoped = false},
        {.name = "remove-cloud",
         .spec = {.flags = {controller, client, no_browser, value({"--target-controller"})}},
         .run = cmd_remove_cloud,
         .model_scoped = false},
        {.name = "show-cloud",
         .spec = {.flags = {format, controller, client, no_browser, boolean({"--include-config"})}},
         .run = cmd_show_cloud,
         .model_scoped = false},
        {.name = "show-credential",
         .spec = {.flags = {format, controller, client, no_browser, boolean({"--show-secrets"})}},
         .run = cmd_show_credential,
         .model_scoped = false},
    };
}

}  // namespace jubilant::fake
