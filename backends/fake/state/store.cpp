#include "state/store.hpp"

#include <sys/stat.h>

#include <fcntl.h>
#include <unistd.h>

#include <sqlite3.h>

#include "private_files.hpp"

namespace jubilant::fake {
namespace {

// Long enough for 8 processes x 500 commands on a 2-core machine to queue, short enough that a
// stuck holder is reported instead of hanging a test run forever.
constexpr int busy_timeout_ms = 120'000;

}  // namespace

void create_data_directory(const std::string& dir) {
    try {
        files::create_private_directories(dir);
    } catch (const files::FileError& e) {
        throw StoreError(e.what());
    }
}

Statement::Statement(Database& db, sqlite3_stmt* stmt, std::string sql)
    : db_(db), stmt_(stmt), sql_(std::move(sql)) {}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::fail(std::string_view what) const {
    throw StoreError(std::string(what) + ": " + sqlite3_errmsg(db_.db_) + " (in: " + sql_ + ")");
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

void Statement::bind_one(int index, std::int64_t value) {
    if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) fail("bind");
}

void Statement::bind_one(int index, std::string_view value) {
    if (sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                          SQLITE_TRANSIENT) != SQLITE_OK) {
        fail("bind");
    }
}

void Statement::bind_one(int index, const std::optional<std::string>& value) {
    if (value) {
        bind_one(index, std::string_view(*value));
    } else {
        bind_one(index, nullptr);
    }
}

void Statement::bind_one(int index, std::nullptr_t) {
    if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) fail("bind");
}

bool Statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail("step");
}

void Statement::exec() {
    while (step()) {}
}

bool Statement::has_row() {
    const bool found = step();
    reset();
    return found;
}

std::int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::text(int column) const {
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    if (!data) return {};
    return std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<std::string> Statement::optional_text(int column) const {
    if (is_null(column)) return std::nullopt;
    return text(column);
}

bool Statement::is_null(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

Database::Database(const std::string& path) : path_(path) {
    const bool in_memory = path.empty();
    if (!in_memory) {
        // Create the file 0600 ourselves: SQLite would create it with the umask's mode, and
        // the state holds secret content and credentials.
        const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0) throw StoreError("cannot create state database " + path);
        ::fchmod(fd, 0600);
        ::close(fd);
    }
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(in_memory ? ":memory:" : path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
        std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        db_ = nullptr;
        throw StoreError("cannot open state database " + path + ": " + message);
    }
    sqlite3_busy_timeout(db_, busy_timeout_ms);
}

Database::~Database() {
    statements_.clear();
    sqlite3_close(db_);
}

Statement& Database::prepare(const std::string& sql) {
    auto it = statements_.find(sql);
    if (it != statements_.end()) return *it->second;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                           SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
        throw StoreError(std::string("prepare: ") + sqlite3_errmsg(db_) + " (in: " + sql + ")");
    }
    auto owned = std::unique_ptr<Statement>(new Statement(*this, stmt, sql));
    Statement& ref = *owned;
    statements_.emplace(sql, std::move(owned));
    return ref;
}

void Database::exec_script(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
        std::string message = error ? error : sqlite3_errmsg(db_);
        sqlite3_free(error);
        throw StoreError("state database " + (path_.empty() ? std::string("(memory)") : path_) +
                         ": " + message);
    }
}

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

int Database::changes() const { return sqlite3_changes(db_); }

Database::Transaction::Transaction(Database& db) : db_(db) { db_.exec_script("BEGIN IMMEDIATE"); }

Database::Transaction::~Transaction() {
    if (open_) sqlite3_exec(db_.db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

void Database::Transaction::commit() {
    db_.exec_script("COMMIT");
    open_ = false;
}

}  // namespace jubilant::fake
