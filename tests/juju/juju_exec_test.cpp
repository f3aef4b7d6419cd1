// exec and run: argv, Task parsing, and the error mapping Jubilant applies to their failures.
#include <jubilant/errors.hpp>
#include <jubilant/juju.hpp>
#include <jubilant/task.hpp>
#include <jubilant/testing.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/mock_juju.hpp"

using namespace jubilant;
using jubilant::testkit::Args;
using jubilant::testkit::MockBackend;
using jubilant::testkit::ReturnStdout;
using ::testing::_;
using ::testing::DoAll;
using ::testing::HasSubstr;
using ::testing::Return;
using ::testing::SaveArg;

namespace {

class JujuExec : public jubilant::test::MockJujuTest {
protected:
    void expect_failure(std::vector<std::string> args, std::string out, std::string err) {
        EXPECT_CALL(*backend, run(Args(std::move(args))))
            .WillOnce(Return(CliResult{
                .returncode = 1, .stdout_text = std::move(out), .stderr_text = std::move(err)}));
    }
};

std::string exec_json(const std::string& key, int rc, const std::string& out_field) {
    return R"({")" + key + R"(": {"id": "28", "results": {"return-code": )" + std::to_string(rc) +
           ", " + out_field + R"(}, "status": "completed", "unit": "ubuntu/0"}})";
}

const char* const run_json = R"({
  "mysql/0": {
    "id": "42",
    "log": ["2025-03-01 16:23:26 +1300 NZDT Log message"],
    "results": {"password": "pass", "return-code": 0, "username": "user",
                "stdout": "OUT", "stderr": "ERR"},
    "status": "completed"
  }
})";

}  // namespace

// exec

TEST_F(JujuExec, ExecUnit) {
    expect({"exec", "--format", "json", "--unit", "ubuntu/0", "--", "echo", "foo"},
           exec_json("ubuntu/0", 0, R"("stdout": "foo\n")"));
    const Task task = juju.exec("echo", {.args = {"foo"}, .unit = "ubuntu/0"});
    EXPECT_EQ(task.id, "28");
    EXPECT_EQ(task.status, "completed");
    EXPECT_EQ(task.return_code, 0);
    EXPECT_EQ(task.stdout_text, "foo\n");
    EXPECT_TRUE(task.success());
}

TEST_F(JujuExec, ExecLeaderTakesTheOnlyEntry) {
    expect({"exec", "--format", "json", "--unit", "ubuntu/leader", "--", "echo", "bar"},
           exec_json("ubuntu/0", 0, R"("stdout": "foo\n")"));
    EXPECT_EQ(juju.exec("echo", {.args = {"bar"}, .unit = "ubuntu/leader"}).stdout_text, "foo\n");
}

TEST_F(JujuExec, ExecMachineWithModel) {
    juju.set_model("mdl");
    expect(
        {"exec", "--model", "mdl", "--format", "json", "--machine", "0/lxd/0", "--", "echo", "bar"},
        exec_json("0/lxd/0", 0, R"("stdout": "bar\n")"));
    EXPECT_EQ(juju.exec("echo", {.args = {"bar"}, .machine = "0/lxd/0"}).stdout_text, "bar\n");
}

TEST_F(JujuExec, ExecWithoutArgs) {
    expect({"exec", "--format", "json", "--machine", "3", "--", "echo hello"},
           exec_json("3", 0, R"("stdout": "hello\n")"));
    EXPECT_EQ(juju.exec("echo hello", {.machine = "3"}).stdout_text, "hello\n");
}

TEST_F(JujuExec, ExecTaskFailedGivesTaskError) {
    expect_failure({"exec", "--format", "json", "--unit", "ubuntu/0", "--", "sleep x"},
                   exec_json("ubuntu/0", 1, R"("stderr": "sleep: invalid time interval\n")"),
                   "task failed");
    try {
        juju.exec("sleep x", {.unit = "ubuntu/0"});
        FAIL() << "expected TaskError";
    } catch (const TaskError& e) {
        EXPECT_EQ(e.task().return_code, 1);
        EXPECT_EQ(e.task().stderr_text, "sleep: invalid time interval\n");
        EXPECT_FALSE(e.task().success());
    }
}

TEST_F(JujuExec, ExecOtherFailureIsCliError) {
    expect_failure({"exec", "--format", "json", "--unit", "ubuntu/0", "--", "echo foo"}, "OUT",
                   "ERR");
    try {
        juju.exec("echo foo", {.unit = "ubuntu/0"});
        FAIL() << "expected CLIError";
    } catch (const CLIError& e) {
        EXPECT_EQ(e.returncode(), 1);
        EXPECT_EQ(e.stdout_text(), "OUT");
        EXPECT_EQ(e.stderr_text(), "ERR");
    }
}

TEST_F(JujuExec, ExecTimeout) {
    expect_failure(
        {"exec", "--format", "json", "--unit", "ubuntu/0", "--wait", "0.001s", "--", "sleep 1"},
        "OUT", "... timed out ...");
    try {
        juju.exec("sleep 1", {.unit = "ubuntu/0", .wait = std::chrono::milliseconds(1)});
        FAIL() << "expected TimeoutError";
    } catch (const TimeoutError& e) {
        EXPECT_THAT(e.what(), HasSubstr("timed out waiting for command"));
        EXPECT_THAT(e.what(), HasSubstr("... timed out ..."));
    }
}

TEST_F(JujuExec, ExecNotFound) {
    expect({"exec", "--format", "json", "--machine", "0", "--", "echo"}, "");
    EXPECT_THROW(juju.exec("echo", {.machine = "0"}), Error);
    expect({"exec", "--format", "json", "--unit", "u/0", "--", "echo"}, "{}");
    EXPECT_THROW(juju.exec("echo", {.unit = "u/0"}), Error);
}

TEST_F(JujuExec, ExecNeedsExactlyOneTarget) {
    EXPECT_CALL(*backend, run(_)).Times(0);
    EXPECT_THROW(juju.exec("echo", ExecOptions{}), Error);
    EXPECT_THROW(juju.exec("echo", {.machine = "0", .unit = "ubuntu/0"}), Error);
}

// run

TEST_F(JujuExec, RunCompleted) {
    expect({"run", "--format", "json", "mysql/0", "get-password"}, run_json);
    const Task task = juju.run("mysql/0", "get-password");
    EXPECT_EQ(task.id, "42");
    EXPECT_EQ(task.results, (Value::Object{{"username", "user"}, {"password", "pass"}}));
    EXPECT_EQ(task.stdout_text, "OUT");
    EXPECT_EQ(task.stderr_text, "ERR");
    EXPECT_EQ(task.log.size(), 1U);
    EXPECT_TRUE(task.success());
}

TEST_F(JujuExec, RunWithModelAndWait) {
    juju.set_model("mdl");
    expect({"run", "--model", "mdl", "--format", "json", "mysql/leader", "get-password", "--wait",
            "30s"},
           run_json);
    juju.run("mysql/leader", "get-password", {.wait = std::chrono::seconds(30)});
}

TEST_F(JujuExec, RunNotFoundJuju3) {
    expect({"run", "--format", "json", "mysql/0", "get-password"}, "");
    try {
        juju.run("mysql/0", "get-password");
        FAIL() << "expected Error";
    } catch (const CLIError&) {
        FAIL() << "expected a plain Error";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("error running action 'get-password'"));
    }
}

TEST_F(JujuExec, RunNotFoundJuju4) {
    expect_failure({"run", "--format", "json", "mysql/0", "get-password"}, "",
                   "ERROR action \"get-password\" not defined for unit \"mysql/0\". (not found)");
    try {
        juju.run("mysql/0", "get-password");
        FAIL() << "expected Error";
    } catch (const CLIError&) {
        FAIL() << "expected a plain Error";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("(not found)"));
    }
}

TEST_F(JujuExec, RunFailedStatusIsTaskError) {
    expect({"run", "--format", "json", "mysql/0", "faily"},
           R"({"mysql/0": {"id": "1", "message": "failed!", "results": {"return-code": 0},
               "status": "failed"}})");
    try {
        juju.run("mysql/0", "faily");
        FAIL() << "expected TaskError";
    } catch (const TaskError& e) {
        EXPECT_EQ(e.task().status, "failed");
        EXPECT_EQ(e.task().message, "failed!");
    }
}

TEST_F(JujuExec, RunTaskFailedExitIsTaskError) {
    expect_failure({"run", "--format", "json", "mysql/0", "exceptiony"},
                   R"({"mysql/0": {"id": "2", "results": {"return-code": 1, "stderr": "Uncaught"},
                       "status": "completed"}})",
                   "... task failed ...");
    EXPECT_THROW(juju.run("mysql/0", "exceptiony"), TaskError);
}

TEST_F(JujuExec, RunOtherFailureIsCliError) {
    expect_failure({"run", "--format", "json", "mysql/0", "exceptiony"}, "OUT", "ERR");
    EXPECT_THROW(juju.run("mysql/0", "exceptiony"), CLIError);
}

TEST_F(JujuExec, RunTimeout) {
    expect_failure({"run", "--format", "json", "mysql/0", "do-thing", "--wait", "0.001s"}, "",
                   "... timed out ...");
    EXPECT_THROW(juju.run("mysql/0", "do-thing", {.wait = std::chrono::milliseconds(1)}),
                 TimeoutError);
}

TEST_F(JujuExec, RunParamsGoToASensitiveYamlFile) {
    CliRequest seen;
    EXPECT_CALL(*backend, run(Args({"run", "--format", "json", "mysql/0", "get-password",
                                    "--params", "{tmp:params.yaml}"})))
        .WillOnce(DoAll(SaveArg<0>(&seen), ReturnStdout(run_json)));
    juju.run("mysql/0", "get-password",
             {.params = Value::Object{{"foo", 1},
                                      {"bar", Value::Array{"ab", "cd"}},
                                      {"f", 2.0},
                                      {"b", true},
                                      {"n", nullptr},
                                      {"s", "yes"}}});
    ASSERT_EQ(seen.temp_files.size(), 1U);
    EXPECT_TRUE(seen.temp_files[0].sensitive);
    EXPECT_EQ(seen.temp_files[0].content,
              "\"b\": true\n\"bar\":\n  - \"ab\"\n  - \"cd\"\n\"f\": 2.0\n\"foo\": 1\n"
              "\"n\": ~\n\"s\": \"yes\"\n");
}
