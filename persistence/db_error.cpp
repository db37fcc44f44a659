#include "persistence/db_error.hpp"

#include <pqxx/except>

#include <string_view>

namespace heymovie::persistence {

namespace {

db_error_kind kind_of_sqlstate(std::string_view state) {
  // 40001 serialization_failure, 40P01 deadlock_detected; 23505
  // unique_violation: a rating the batch found missing was inserted by
  // another client before ours (a retry finds and updates it).
  if (state == "40001" || state == "40P01" || state == "23505")
    return db_error_kind::conflict;
  // 57014 query_canceled: statement_timeout (or an administrator).
  if (state == "57014")
    return db_error_kind::timeout;
  // Class 08: connection exceptions; 57P0x: the server is shutting down or
  // starting up; 53xxx: out of resources (connections, memory, disk).
  // 42P05 duplicate_prepared_statement: the server has a statement libpqxx
  // believes it has not (a PREPARE cancelled as it completed): only a new
  // connection puts the two in step again.
  auto cls = state.substr(0, 2);
  if (cls == "08" || cls == "53" || state.substr(0, 4) == "57P0" ||
      state == "42P05")
    return db_error_kind::connection;
  // 23503 foreign_key_violation: the only foreign key is the movie's.
  if (state == "23503")
    return db_error_kind::unknown_movie;
  // Class 23: integrity constraints; class 22: data exceptions (a value out
  // of range for its column).
  if (cls == "23" || cls == "22")
    return db_error_kind::bad_row;
  return db_error_kind::permanent;
}

} // namespace

db_error classify_current_exception() {
  try {
    throw;
  } catch (const pqxx::broken_connection& e) {
    return {db_error_kind::connection, e.what()};
  } catch (const pqxx::in_doubt_error& e) {
    // The commit may or may not have happened; a batch is safe to repeat.
    return {db_error_kind::connection, e.what()};
  } catch (const pqxx::sql_error& e) {
    return {kind_of_sqlstate(e.sqlstate()), e.what()};
  } catch (const std::exception& e) {
    return {db_error_kind::permanent, e.what()};
  } catch (...) {
    return {db_error_kind::permanent, "unknown exception"};
  }
}

} // namespace heymovie::persistence
