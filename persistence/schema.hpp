// Schema creation and migration. The numbered files under
// persistence/migrations are compiled into the binary and applied in order,
// each once, recorded in the table schema_migrations.

#pragma once

#include <limits>
#include <string>
#include <vector>

namespace pqxx {
class connection_base;
} // namespace pqxx

namespace heymovie::persistence {

struct migration {
  int version;
  std::string name;
  std::string sql;
};

/// All migrations, ascending by version (generated at build time).
extern const std::vector<migration> migrations;

/// Applies the migrations this database has not seen yet, up to version
/// `up_to` (all of them by default; the upgrade tests stop earlier).
/// Idempotent and safe to run from several processes at once (they serialize
/// on an advisory lock). Returns the number of migrations applied; throws
/// pqxx exceptions.
int migrate(pqxx::connection_base& conn,
            int up_to = std::numeric_limits<int>::max());

} // namespace heymovie::persistence
