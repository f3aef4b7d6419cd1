// Secrets: add, update, remove, grant, list and show (with reveal and revisions).
#include "state.hpp"

namespace jubilant::fake {

std::vector<CommandDef> secret_commands() { return {}; }

}  // namespace jubilant::fake
