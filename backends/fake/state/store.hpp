// A thin RAII layer over SQLite for the fake Juju's state: one connection, cached prepared
// statements, and one write transaction per command.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>

struct sqlite3;
struct sqlite3_stmt;

namespace jubilant::fake {

/// Thrown for any SQLite failure; the message names the statement and SQLite's reason.
class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Database;

/// Creates a data directory and its missing parents, each 0700 whatever the umask (the state
/// database holds secrets and credentials in clear); existing directories keep their mode.
/// Throws StoreError naming the directory.
void create_data_directory(const std::string& dir);

/// A prepared statement owned by the Database cache; reset on every bind().
class Statement {
public:
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    /// Resets the statement and binds the parameters in order (1-based in SQL: ?1, ?2, ...).
    template <typename... Ts>
    Statement& bind(const Ts&... values) {
        reset();
        int index = 1;
        (bind_one(index++, values), ...);
        return *this;
    }

    /// Steps once; true while a row is available.
    bool step();
    /// Steps to completion (for INSERT/UPDATE/DELETE).
    void exec();
    /// Steps once, then resets: whether the query yields a row (for existence checks).
    bool has_row();
    /// Steps once, then resets: the row read by `read` (a callable taking the statement),
    /// nullopt when the query yields none (for lookups of one row).
    template <typename Read>
    std::optional<std::invoke_result_t<Read&, const Statement&>> first_row(Read read) {
        std::optional<std::invoke_result_t<Read&, const Statement&>> row;
        if (step()) row = read(std::as_const(*this));
        reset();
        return row;
    }

    std::int64_t integer(int column) const;
    std::string text(int column) const;
    std::optional<std::string> optional_text(int column) const;
    bool is_null(int column) const;

private:
    friend class Database;
    Statement(Database& db, sqlite3_stmt* stmt, std::string sql);
    void reset();
    void bind_one(int index, std::int64_t value);
    void bind_one(int index, int value) { bind_one(index, static_cast<std::int64_t>(value)); }
    void bind_one(int index, bool value) { bind_one(index, static_cast<std::int64_t>(value)); }
    void bind_one(int index, std::string_view value);
    void bind_one(int index, const std::string& value) { bind_one(index, std::string_view(value)); }
    void bind_one(int index, const char* value) { bind_one(index, std::string_view(value)); }
    void bind_one(int index, const std::optional<std::string>& value);
    void bind_one(int index, std::nullptr_t);
    [[noreturn]] void fail(std::string_view what) const;

    Database& db_;
    sqlite3_stmt* stmt_;
    std::string sql_;
};

/// One SQLite connection. An empty path opens a private in-memory database.
class Database {
public:
    explicit Database(const std::string& path);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    /// The cached prepared statement for `sql` (prepared on first use).
    Statement& prepare(const std::string& sql);
    /// Runs one or more statements without results (schema, pragmas).
    void exec_script(const std::string& sql);
    std::int64_t last_insert_rowid() const;
    int changes() const;
    const std::string& path() const noexcept { return path_; }

    /// BEGIN IMMEDIATE ... COMMIT, rolled back if not committed. IMMEDIATE takes the write
    /// lock up front, so two processes never deadlock upgrading read locks; the busy timeout
    /// makes the second one wait instead of failing with "database is locked".
    class Transaction {
    public:
        explicit Transaction(Database& db);
        ~Transaction();
        Transaction(const Transaction&) = delete;
        Transaction& operator=(const Transaction&) = delete;
        void commit();

    private:
        Database& db_;
        bool open_ = true;
    };

private:
    friend class Statement;
    sqlite3* db_ = nullptr;
    std::string path_;
    std::unordered_map<std::string, std::unique_ptr<Statement>> statements_;
};

}  // namespace jubilant::fake
