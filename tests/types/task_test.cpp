#include <jubilant/format.hpp>
#include <jubilant/task.hpp>

#include <sstream>
#include <string>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <jubilant/errors.hpp>

namespace jubilant {
namespace {

using ::testing::HasSubstr;

std::string parse_error(std::string_view json) {
    try {
        Task::from_json(json);
    } catch (const ParseError& e) {
        return e.what();
    }
    return "no exception";
}

TEST(TaskFromJson, RunCompleted) {
    const Task task = Task::from_json(R"({
      "mysql/0": {
        "id": "42",
        "log": [
          "2025-03-01 16:23:26 +1300 NZDT Log message",
          "2025-03-01 16:23:26 +1300 NZDT Another message"
        ],
        "results": {
          "password": "pass",
          "return-code": 0,
          "username": "user",
          "stdout": "OUT",
          "stderr": "ERR"
        },
        "status": "completed",
        "timing": {"completed": "2025-03-01 03:23:26 +0000 UTC"},
        "unit": "mysql/0"
      }
    })");
    const Task expected{
        .id = "42",
        .status = "completed",
        .results = {{"username", "user"}, {"password", "pass"}},
        .return_code = 0,
        .stdout_text = "OUT",
        .stderr_text = "ERR",
        .log = {"2025-03-01 16:23:26 +1300 NZDT Log message",
                "2025-03-01 16:23:26 +1300 NZDT Another message"},
    };
    EXPECT_EQ(task, expected);
    EXPECT_TRUE(task.success());
    EXPECT_NO_THROW(task.raise_on_failure());
}

TEST(TaskFromJson, ExecOnMachine) {
    const Task task = Task::from_json(R"({
      "0/lxd/0": {
        "id": "28",
        "results": {"return-code": 0, "stdout": "bar\n"},
        "status": "completed",
        "unit": "ubuntu/0"
      }
    })");
    EXPECT_EQ(task, (Task{.id = "28", .status = "completed", .stdout_text = "bar\n"}));
    EXPECT_TRUE(task.results.empty());
}

TEST(TaskFromJson, FailedActionWithMessage) {
    const Task task = Task::from_json(R"({
      "mysql/0": {
        "id": "42",
        "message": "Failure message",
        "results": {"foo": "bar", "return-code": 0},
        "status": "failed"
      }
    })");
    EXPECT_EQ(task, (Task{.id = "42",
                          .status = "failed",
                          .results = {{"foo", "bar"}},
                          .message = "Failure message"}));
    // Status alone makes it a failure, even with return code 0.
    EXPECT_FALSE(task.success());
}

TEST(TaskFromJson, NestedResultsKeepTheirStructure) {
    const Task task = Task::from_json(R"({
      "app/0": {
        "id": "7",
        "status": "completed",
        "results": {
          "return-code": 0,
          "config": {"port": 8080, "hosts": ["a", "b"], "ratio": 0.5, "tls": false,
                     "extra": null}
        }
      }
    })");
    const Value& config = task.results.at("config");
    EXPECT_EQ(config.at("port").as_int(), 8080);
    EXPECT_EQ(config.at("hosts").at(1).as_string(), "b");
    EXPECT_EQ(config.at("ratio").as_double(), 0.5);
    EXPECT_FALSE(config.at("tls").as_bool());
    EXPECT_TRUE(config.at("extra").is_null());
    EXPECT_EQ(Value(task.results).to_json(),
              R"({"config":{"extra":null,"hosts":["a","b"],"port":8080,"ratio":0.5,"tls":false}})");
}

TEST(TaskFromJson, MissingOrNullOptionalFieldsDefault) {
    const Task task = Task::from_json(
        R"({"u/0": {"id": "1", "status": "completed", "results": null, "message": null,
                    "log": null}})");
    EXPECT_EQ(task, (Task{.id = "1", .status = "completed"}));
    // Python treats any falsy results value as "no results".
    EXPECT_EQ(Task::from_json(R"({"u/0": {"id": "1", "status": "completed", "results": []}})"),
              (Task{.id = "1", .status = "completed"}));
}

TEST(TaskFromJson, TakesTheFirstEntryInDocumentOrder) {
    // Juju keys the entry by the unit it ran on, e.g. "mysql/1" when asked for mysql/leader.
    const Task task = Task::from_json(
        R"({"zz/1": {"id": "1", "status": "completed"}, "aa/0": {"id": "2", "status": "failed"}})");
    EXPECT_EQ(task.id, "1");
}

TEST(TaskFromJson, Errors) {
    EXPECT_EQ(parse_error(R"({"mysql/0": {"status": "completed"}})"),
              R"(run/exec JSON: ."mysql/0".id: missing required field)");
    EXPECT_EQ(parse_error(R"({"mysql/0": {"id": "1"}})"),
              R"(run/exec JSON: ."mysql/0".status: missing required field)");
    EXPECT_EQ(parse_error(R"({"mysql/0": {"id": 1, "status": "completed"}})"),
              R"(run/exec JSON: ."mysql/0".id: expected a string, got integer)");
    // A task whose results are `extra`.
    const auto with_results = [](std::string_view extra) {
        return parse_error(R"({"u/0": {"id": "1", "status": "completed", "results": )" +
                           std::string(extra) + "}}");
    };
    EXPECT_EQ(with_results(R"({"return-code": "0"})"),
              R"(run/exec JSON: ."u/0".results.return-code: expected an integer, got string)");
    EXPECT_EQ(with_results(R"({"return-code": 1.5})"),
              R"(run/exec JSON: ."u/0".results.return-code: expected an integer, got number)");
    EXPECT_EQ(with_results(R"({"return-code": 4294967296})"),
              R"(run/exec JSON: ."u/0".results.return-code: integer 4294967296 is out of range)");
    EXPECT_EQ(with_results(R"({"stdout": 1})"),
              R"(run/exec JSON: ."u/0".results.stdout: expected a string, got integer)");
    EXPECT_EQ(with_results(R"({"stderr": []})"),
              R"(run/exec JSON: ."u/0".results.stderr: expected a string, got array)");
    EXPECT_EQ(parse_error(R"({"u/0": {"id": "1", "status": "completed", "results": [1]}})"),
              R"(run/exec JSON: ."u/0".results: expected an object, got array)");
    EXPECT_EQ(parse_error(R"({"u/0": {"id": "1", "status": "completed", "log": ["a", 2]}})"),
              R"(run/exec JSON: ."u/0".log[1]: expected a string, got integer)");
    EXPECT_EQ(parse_error(R"({"u/0": "oops"})"),
              R"(run/exec JSON: ."u/0": expected an object, got string)");
    EXPECT_EQ(parse_error(R"(["u/0"])"), "run/exec JSON: .: expected an object, got array");
    EXPECT_EQ(parse_error("{}"),
              "run/exec JSON: .: expected an object with one entry, got an empty object");
    EXPECT_EQ(parse_error(""), "run/exec JSON: empty document (no JSON value in the input)");
    EXPECT_THAT(parse_error(R"({"u/0": {"id": "1",})"),
                HasSubstr("run/exec JSON: invalid JSON at byte 19: "));
}

TEST(TaskFromRunOutput, NoTaskWhenJujuPrintsNothingUseful) {
    // Jubilant: no stdout (or JSON that is falsy in Python) means no unit or machine matched.
    for (const std::string_view out :
         {"", "  \n", "\x0b\x0c", "{}", "null", "[]", "false", "0", "\"\""}) {
        EXPECT_EQ(Task::from_run_output(out), std::nullopt) << "output: " << out;
    }
    const auto task = Task::from_run_output(R"({"u/0": {"id": "3", "status": "completed"}})");
    ASSERT_TRUE(task.has_value());
    EXPECT_EQ(task->id, "3");
    EXPECT_THROW(Task::from_run_output("[1]"), ParseError);
    EXPECT_THROW(Task::from_run_output("{"), ParseError);
}

TEST(TaskSuccess, NeedsCompletedAndZero) {
    EXPECT_TRUE((Task{.id = "42", .status = "completed", .return_code = 0}).success());
    EXPECT_FALSE((Task{.id = "42", .status = "completed", .return_code = 1}).success());
    EXPECT_FALSE((Task{.id = "42", .status = "failed", .return_code = 0}).success());
    EXPECT_FALSE((Task{.id = "42", .status = "failed", .return_code = 1}).success());
    EXPECT_FALSE((Task{.id = "42", .status = "error"}).success());
}

TEST(TaskRaiseOnFailure, ThrowsTaskErrorCarryingTheTask) {
    const Task ok{.id = "42", .status = "completed"};
    EXPECT_NO_THROW(ok.raise_on_failure());

    const Task bad{.id = "42", .status = "completed", .return_code = 1, .stderr_text = "boom"};
    try {
        bad.raise_on_failure();
        FAIL() << "no exception";
    } catch (const TaskError& e) {
        EXPECT_EQ(e.task(), bad);
        EXPECT_EQ(std::string(e.what()), "task error: " + to_string(bad));
    }
    // Catchable as the library's base error too.
    EXPECT_THROW(bad.raise_on_failure(), Error);
}

TEST(TaskToString, Minimal) {
    EXPECT_EQ(to_string(Task{.id = "42", .status = "completed"}),
              "Task 42: status 'completed', return code 0");
}

TEST(TaskToString, Full) {
    const Task task{
        .id = "1",
        .status = "failed",
        .results = {{"foo", "bar"}},
        .return_code = 3,
        .stdout_text = "STDOUT",
        .stderr_text = "STDERR",
        .message = "Some kind of failure",
        .log = {"LOG 1", "LOG 2"},
    };
    const std::string expected =
        "Task 1: status 'failed', return code 3, details:\n"
        "Results: {'foo': 'bar'}\n"
        "Stdout:\n"
        "STDOUT\n"
        "Stderr:\n"
        "STDERR\n"
        "Message: Some kind of failure\n"
        "Log:\n"
        "LOG 1\n"
        "LOG 2";
    EXPECT_EQ(to_string(task), expected);
    std::ostringstream os;
    os << task;
    EXPECT_EQ(os.str(), expected);
    EXPECT_EQ(fmt::format("{}", task), expected);
}

TEST(TaskToString, ResultsArePythonLiterals) {
    const Task task{
        .id = "5",
        .status = "completed",
        .results = {{"n", 1}, {"ok", true}, {"x", nullptr}, {"list", Value::Array{1.5, "it's"}}},
    };
    EXPECT_EQ(to_string(task),
              "Task 5: status 'completed', return code 0, details:\n"
              "Results: {'list': [1.5, \"it's\"], 'n': 1, 'ok': True, 'x': None}");
}

TEST(TaskError, MessageMatchesJubilant) {
    const TaskError error(Task{.id = "42", .status = "completed"});
    EXPECT_STREQ(error.what(), "task error: Task 42: status 'completed', return code 0");
    EXPECT_EQ(error.task().id, "42");
    // Copies share the task, so they see the same one.
    const TaskError copy = error;
    EXPECT_EQ(&copy.task(), &error.task());
}

}  // namespace
}  // namespace jubilant
