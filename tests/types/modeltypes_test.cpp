#include <jubilant/format.hpp>
#include <jubilant/modeltypes.hpp>

#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <jubilant/errors.hpp>

namespace jubilant {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view kFull = R"({
    "t": {
        "name": "admin/t",
        "short-name": "t",
        "model-uuid": "910dff48-2bc2-4007-858b-e382d2fcdc0f",
        "model-type": "iaas",
        "controller-uuid": "82fa1bd2-e1a6-4aeb-87c3-5aaed212d4ff",
        "controller-name": "localhost-localhost",
        "is-controller": false,
        "owner": "admin",
        "cloud": "localhost",
        "region": "localhost",
        "type": "lxd",
        "life": "alive",
        "status": {"current": "available", "since": "18 hours ago"},
        "users": {
            "admin": {
                "display-name": "admin",
                "access": "admin",
                "last-connection": "58 minutes ago"
            }
        },
        "machines": {"0": {"cores": 4}, "1": {"cores": 2}},
        "secret-backends": {
            "internal": {"num-secrets": 3, "status": "active"},
            "vault": {"num-secrets": 0, "status": "error", "message": "sealed"}
        },
        "sla": "unsupported",
        "agent-version": "3.6.10",
        "credential": {
            "name": "localhost",
            "owner": "admin",
            "cloud": "localhost",
            "validity-check": "valid"
        },
        "supported-features": [
            {
                "name": "juju",
                "description": "the version of Juju used by the model",
                "version": "3.6.10"
            }
        ]
    }
})";

constexpr std::string_view kMinimal = R"({
    "min": {
        "name": "admin/min",
        "short-name": "min",
        "model-uuid": "910dff48-2bc2-4007-858b-e382d2fcdc0e",
        "model-type": "caas",
        "controller-uuid": "82fa1bd2-e1a6-4aeb-87c3-5aaed212d4fe",
        "controller-name": "ctrl",
        "is-controller": true,
        "cloud": "aws",
        "life": "dying"
    }
})";

ModelInfo minimal_expected() {
    return ModelInfo{
        .name = "admin/min",
        .short_name = "min",
        .model_uuid = "910dff48-2bc2-4007-858b-e382d2fcdc0e",
        .model_type = "caas",
        .controller_uuid = "82fa1bd2-e1a6-4aeb-87c3-5aaed212d4fe",
        .controller_name = "ctrl",
        .is_controller = true,
        .cloud = "aws",
        .life = "dying",
    };
}

std::string error_of(std::string_view json) {
    try {
        ModelInfo::from_json(json);
    } catch (const ParseError& e) {
        return e.what();
    }
    return "no exception";
}

TEST(ModelInfoFromJson, Full) {
    const ModelInfo info = ModelInfo::from_json(kFull);
    const ModelInfo expected{
        .name = "admin/t",
        .short_name = "t",
        .model_uuid = "910dff48-2bc2-4007-858b-e382d2fcdc0f",
        .model_type = "iaas",
        .controller_uuid = "82fa1bd2-e1a6-4aeb-87c3-5aaed212d4ff",
        .controller_name = "localhost-localhost",
        .is_controller = false,
        .cloud = "localhost",
        .life = "alive",
        .region = "localhost",
        .type = "lxd",
        .status = {.current = "available", .since = "18 hours ago"},
        .users =
            {{"admin",
              {.access = "admin", .last_connection = "58 minutes ago", .display_name = "admin"}}},
        .machines = {{"0", {.cores = 4}}, {"1", {.cores = 2}}},
        .secret_backends = {{"internal", {.num_secrets = 3, .status = "active"}},
                            {"vault", {.num_secrets = 0, .status = "error", .message = "sealed"}}},
        .agent_version = "3.6.10",
        .credential = ModelCredential{.name = "localhost",
                                      .owner = "admin",
                                      .cloud = "localhost",
                                      .validity_check = "valid"},
        .supported_features = {{.name = "juju",
                                .description = "the version of Juju used by the model",
                                .version = "3.6.10"}},
    };
    EXPECT_EQ(info, expected);
}

TEST(ModelInfoFromJson, Minimal) {
    const ModelInfo info = ModelInfo::from_json(kMinimal);
    EXPECT_EQ(info, minimal_expected());
    EXPECT_EQ(info.status, ModelStatusInfo{});
    EXPECT_FALSE(info.credential.has_value());
    EXPECT_TRUE(info.users.empty());
}

TEST(ModelInfoFromJson, NullOptionalFieldsKeepDefaults) {
    const ModelInfo info = ModelInfo::from_json(R"({"min": {
        "name": "admin/min", "short-name": "min",
        "model-uuid": "910dff48-2bc2-4007-858b-e382d2fcdc0e", "model-type": "caas",
        "controller-uuid": "82fa1bd2-e1a6-4aeb-87c3-5aaed212d4fe", "controller-name": "ctrl",
        "is-controller": true, "cloud": "aws", "life": "dying",
        "region": null, "status": null, "users": null, "credential": null,
        "supported-features": null, "agent-version": null,
        "unknown-field": {"deep": [1, 2, 3]}}})");
    EXPECT_EQ(info, minimal_expected());
}

TEST(ModelInfoFromJson, MissingRequiredFields) {
    const std::vector<std::pair<std::string, std::string>> fields = {
        {"name", R"("admin/min")"},
        {"short-name", R"("min")"},
        {"model-uuid", R"("910dff48-2bc2-4007-858b-e382d2fcdc0e")"},
        {"model-type", R"("caas")"},
        {"controller-uuid", R"("82fa1bd2-e1a6-4aeb-87c3-5aaed212d4fe")"},
        {"controller-name", R"("ctrl")"},
        {"is-controller", "true"},
        {"cloud", R"("aws")"},
        {"life", R"("dying")"},
    };
    // The complete document parses; each required field removed in turn is reported with its
    // exact path.
    for (std::size_t skip = 0; skip <= fields.size(); ++skip) {
        std::string json = R"({"min": {)";
        bool first = true;
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (i == skip) continue;
            if (!first) json += ", ";
            first = false;
            json += "\"" + fields[i].first + "\": " + fields[i].second;
        }
        json += "}}";
        if (skip == fields.size()) {
            EXPECT_EQ(ModelInfo::from_json(json), minimal_expected());
        } else {
            EXPECT_EQ(error_of(json), "show-model JSON: .\"min\"." + fields[skip].first +
                                          ": missing required field");
        }
    }
}

TEST(ModelInfoFromJson, NestedErrors) {
    const std::string head(kMinimal.substr(0, kMinimal.rfind('}', kMinimal.rfind('}') - 1)));
    const auto with = [&](std::string_view extra) {
        return head + "," + std::string(extra) + "}}";
    };

    EXPECT_EQ(error_of(with(R"("users": {"bob": {"access": "read"}})")),
              R"(show-model JSON: ."min".users."bob".last-connection: missing required field)");
    EXPECT_EQ(error_of(with(R"("users": {"bob": "read"})")),
              R"(show-model JSON: ."min".users."bob": expected an object, got string)");
    EXPECT_EQ(error_of(with(R"("machines": {"0": {"cores": "4"}})")),
              R"(show-model JSON: ."min".machines."0".cores: expected an integer, got string)");
    EXPECT_EQ(
        error_of(with(R"("secret-backends": {"internal": {"status": "active"}})")),
        R"(show-model JSON: ."min".secret-backends."internal".num-secrets: missing required field)");
    EXPECT_EQ(error_of(with(R"("credential": {"name": "c", "owner": "o"})")),
              R"(show-model JSON: ."min".credential.cloud: missing required field)");
    EXPECT_EQ(
        error_of(with(R"("supported-features": [{"name": "juju"}])")),
        R"(show-model JSON: ."min".supported-features[0].description: missing required field)");
    EXPECT_EQ(error_of(with(R"("supported-features": {"name": "juju"})")),
              R"(show-model JSON: ."min".supported-features: expected an array, got object)");
    EXPECT_EQ(error_of(with(R"("status": "available")")),
              R"(show-model JSON: ."min".status: expected an object, got string)");
    EXPECT_EQ(error_of(with(R"("status": {"current": 1})")),
              R"(show-model JSON: ."min".status.current: expected a string, got integer)");
}

TEST(ModelInfoFromJson, DocumentErrors) {
    EXPECT_EQ(error_of(R"({"min": {"name": "admin/min", "short-name": "min",
        "model-uuid": "u", "model-type": "caas", "controller-uuid": "c",
        "controller-name": "ctrl", "is-controller": "yes", "cloud": "aws", "life": "alive"}})"),
              R"(show-model JSON: ."min".is-controller: expected a boolean, got string)");
    EXPECT_EQ(error_of("{}"),
              "show-model JSON: .: expected an object with one entry, got an empty object");
    EXPECT_EQ(error_of("\"t\""), "show-model JSON: .: expected an object, got string");
    EXPECT_EQ(error_of(R"({"t": null})"), R"(show-model JSON: ."t": expected an object, got null)");
    EXPECT_EQ(error_of(""), "show-model JSON: empty document (no JSON value in the input)");
    EXPECT_THAT(error_of(R"({"t": {)"), HasSubstr("show-model JSON: invalid JSON at byte 7: "));
    EXPECT_THAT(error_of("{\"t\": 1e999}"), HasSubstr("show-model JSON: invalid JSON"));
}

TEST(ModelInfoPrint, LongRecordIsSplitOnePerLine) {
    std::ostringstream os;
    os << ModelInfo::from_json(kMinimal);
    // Longer than 150 columns, so one field per line.
    EXPECT_EQ(os.str(),
              "ModelInfo(\n"
              "  name='admin/min',\n"
              "  short_name='min',\n"
              "  model_uuid='910dff48-2bc2-4007-858b-e382d2fcdc0e',\n"
              "  model_type='caas',\n"
              "  controller_uuid='82fa1bd2-e1a6-4aeb-87c3-5aaed212d4fe',\n"
              "  controller_name='ctrl',\n"
              "  is_controller=True,\n"
              "  cloud='aws',\n"
              "  life='dying',\n"
              ")");
}

TEST(ModelInfoPrint, NestedValues) {
    const ModelInfo info = ModelInfo::from_json(kFull);
    const std::string text = fmt::format("{}", info);
    EXPECT_THAT(text, HasSubstr("\n  status=ModelStatusInfo(current='available', "
                                "since='18 hours ago'),\n"));
    EXPECT_THAT(text,
                HasSubstr("\n  users={\n    'admin': ModelUserInfo(access='admin', "
                          "last_connection='58 minutes ago', display_name='admin'),\n  },\n"));
    EXPECT_THAT(text, HasSubstr("\n  machines={\n    '0': ModelMachineInfo(cores=4),\n"));
    EXPECT_THAT(text, HasSubstr("SecretBackendInfo(num_secrets=0, status='error', "
                                "message='sealed')"));
    EXPECT_THAT(text, HasSubstr("\n  credential=ModelCredential(name='localhost', owner='admin', "
                                "cloud='localhost', validity_check='valid'),\n"));
    EXPECT_EQ(fmt::format("{}", ModelMachineInfo{.cores = 4}), "ModelMachineInfo(cores=4)");
    EXPECT_EQ(fmt::format("{}", ModelStatusInfo{}), "ModelStatusInfo()");
}

}  // namespace
}  // namespace jubilant
