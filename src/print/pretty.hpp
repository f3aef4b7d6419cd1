// Line-oriented views of a Status, used by Juju::wait to log what changed between two polls.
//
// Same output as Jubilant's _pretty.gron / _pretty.diff: one `path = value` line per non-default
// leaf, values written the way Python's repr() writes them, and a difflib-compatible diff.
#pragma once

#include <string>
#include <vector>

namespace jubilant {

struct Status;

/// One line per leaf value of `status` that differs from its default, in field order with map
/// keys sorted, for example:
///
///     .model.name = 'tt'
///     .apps['pg'].units['pg/0'].workload_status.current = 'active'
///     .apps['pg'].relations['db'][0].related_app = 'app'
///
/// Strings are quoted like Python's repr() (single quotes unless the text contains one),
/// booleans are True/False. Empty maps and lists produce no line. The controller timestamp
/// and `.since` lines are included; callers that want a quiet diff filter them out.
std::vector<std::string> gron_lines(const Status& status);

/// Lines removed from `old` prefixed with "- " and lines added in `neu` prefixed with "+ ", in
/// the order Python's difflib.SequenceMatcher (with its default autojunk heuristic) reports
/// them: for each replaced block the removals come before the additions. Unchanged lines are
/// not returned, so two equal inputs give an empty result.
std::vector<std::string> line_diff(const std::vector<std::string>& old,
                                   const std::vector<std::string>& neu);

}  // namespace jubilant
