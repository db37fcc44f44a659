#include "persistence/schema.hpp"

#include "persistence/sql.hpp"

#include <pqxx/pqxx>

namespace heymovie::persistence {

int migrate(pqxx::connection_base& conn, int up_to) {
  pqxx::work tx{conn};
  tx.exec(sql::lock_migrations);
  tx.exec(sql::create_migrations_table);
  int current = tx.exec(sql::current_schema_version)[0][0].as<int>();
  int applied = 0;
  for (auto& m : migrations) {
    if (m.version <= current || m.version > up_to)
      continue;
    tx.exec(m.sql);
    tx.exec_params(sql::record_migration, m.version, m.name);
    ++applied;
  }
  tx.commit();
  return applied;
}

} // namespace heymovie::persistence
