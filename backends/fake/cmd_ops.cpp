// Operations on running units: actions (run), exec, ssh, scp, debug-log and ssh keys.
#include "state.hpp"

namespace jubilant::fake {

std::vector<CommandDef> operation_commands() { return {}; }

}  // namespace jubilant::fake
