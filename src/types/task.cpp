#include <jubilant/task.hpp>

#include <ostream>

#include <fmt/format.h>

#include "types/json_reader.hpp"

namespace jubilant {
namespace {

using json_reader::Json;
using json_reader::Node;

constexpr std::string_view kDocument = "run/exec";

// Jubilant only parses stdout when stdout.strip() is non-empty; these are the ASCII characters
// Python's str.strip() removes.
bool python_blank(std::string_view text) noexcept {
    for (const char c : text) {
        const bool space = c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\x1c' && c <= '\x1f');
        if (!space) return false;
    }
    return true;
}

// Python's truth value of a decoded JSON value.
bool python_falsy(const Json& json) {
    switch (json.type()) {
    case Json::value_t::null: return true;
    case Json::value_t::boolean: return !json.get<bool>();
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: return json.get<double>() == 0.0;
    case Json::value_t::string: return json.get_ref<const std::string&>().empty();
    case Json::value_t::array:
    case Json::value_t::object: return json.empty();
    case Json::value_t::binary:
    case Json::value_t::discarded: break;
    }
    return false;
}

bool is_juju_result_key(std::string_view key) noexcept {
    return key == "return-code" || key == "stdout" || key == "stderr";
}

Task read_task(const Node& node) {
    node.require_object();
    Task task;

    // Jubilant takes `d.get('results') or {}` and pops Juju's own three entries out of it.
    if (const auto results = node.optional_field("results");
        results && !python_falsy(results->json())) {
        results->require_object();
        if (const auto code = results->optional_field("return-code")) {
            task.return_code = code->as_int();
        }
        if (const auto out = results->optional_field("stdout")) task.stdout_text = out->as_string();
        if (const auto err = results->optional_field("stderr")) task.stderr_text = err->as_string();
        for (const auto& [key, value] : results->entries()) {
            if (!is_juju_result_key(key)) task.results.insert_or_assign(key, value.as_value());
        }
    }

    task.id = node.field("id").as_string();
    task.status = node.field("status").as_string();
    task.message = node.string_or_empty("message");
    if (const auto log = node.optional_field("log")) task.log = log->as_string_list();
    return task;
}

}  // namespace

void Task::raise_on_failure() const {
    if (!success()) throw TaskError(*this);
}

std::optional<Task> Task::from_run_output(std::string_view stdout_text) {
    if (python_blank(stdout_text)) return std::nullopt;
    const Json document = json_reader::parse(stdout_text, kDocument);
    if (python_falsy(document)) return std::nullopt;
    return read_task(Node(document, kDocument).first_entry().second);
}

Task Task::from_json(std::string_view json) {
    const Json document = json_reader::parse(json, kDocument);
    return read_task(Node(document, kDocument).first_entry().second);
}

std::string to_string(const Task& task) {
    std::vector<std::string> details;
    if (!task.results.empty()) details.push_back("Results: " + to_string(Value(task.results)));
    if (!task.stdout_text.empty()) details.push_back("Stdout:\n" + task.stdout_text);
    if (!task.stderr_text.empty()) details.push_back("Stderr:\n" + task.stderr_text);
    if (!task.message.empty()) details.push_back("Message: " + task.message);
    if (!task.log.empty()) {
        std::string log = "Log:";
        for (const std::string& line : task.log) log += "\n" + line;
        details.push_back(std::move(log));
    }
    std::string out = fmt::format("Task {}: status {}, return code {}", task.id,
                                  to_string(Value(task.status)), task.return_code);
    if (!details.empty()) {
        out += ", details:";
        for (const std::string& detail : details) out += "\n" + detail;
    }
    return out;
}

std::ostream& operator<<(std::ostream& os, const Task& task) { return os << to_string(task); }

TaskError::TaskError(Task task)
    : Error("task error: " + to_string(task)),
      task_(std::make_shared<const Task>(std::move(task))) {}

// Out of line to anchor the vtable and type_info in the library, like the other errors.
TaskError::~TaskError() = default;

}  // namespace jubilant
