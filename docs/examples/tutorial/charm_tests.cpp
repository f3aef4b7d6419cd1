// The tutorial's test (docs/tutorial/first-test.md, step 3): a temporary model, two
// applications, a relation, a wait and an action, recorded once into
// cassettes/WebappTest/<Test>.json beside this file and replayed from there afterwards.
#include <string>
#include <variant>

#include <gtest/gtest.h>

#include <jubilant/all_any.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/temp_model.hpp>
#include <jubilant/testing.hpp>

using namespace jubilant;

class WebappTest : public testkit::CassetteTest {
protected:
    // The e-mail address is the test's own value: the cassette says <ADMIN_EMAIL> instead.
    WebappTest()
        : CassetteTest({.placeholders = {{.name = "ADMIN_EMAIL", .value = "ops@example.com"}}}) {}

    // Deploys webapp and postgresql into `juju`'s model, relates them and waits until active.
    static Status deploy_and_wait(Juju& juju) {
        juju.deploy("postgresql", {.channel = "14/stable"});
        juju.deploy("webapp");
        juju.integrate("webapp", "postgresql");
        juju.config_set("webapp", {{"admin-email", "ops@example.com"}});
        return juju.wait(all_active, {.error = any_error});
    }
};

TEST_F(WebappTest, BecomesActiveWithADatabase) {
    TempModel model(cassette().backend());  // a fresh jubilant-xxxxxxxx model, destroyed after
    const Status status = deploy_and_wait(model.juju());
    EXPECT_EQ(status.apps.at("webapp").relations.at("database").front().related_app, "postgresql");
    EXPECT_EQ(std::get<std::string>(model.juju().config("webapp").at("admin-email")),
              "ops@example.com");

    const Task task = model.juju().run("postgresql/leader", "get-password");
    EXPECT_EQ(task.status, "completed");
    EXPECT_EQ(task.return_code, 0);
}

// Action results replay with their values; only secret-looking ones (the password) are
// redacted in the cassette.
TEST_F(WebappTest, GetPasswordReportsTheUsername) {
    TempModel model(cassette().backend());
    deploy_and_wait(model.juju());
    const Task task = model.juju().run("postgresql/leader", "get-password");
    EXPECT_EQ(task.results.at("username").as_string(), "operator");
}
