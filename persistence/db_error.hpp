// libpqxx reports failures as exceptions; this layer turns them into values
// at its boundary. The classification decides what a retry can fix.

#pragma once

#include <exception>
#include <string>
#include <utility>
#include <variant>

namespace heymovie::persistence {

enum class db_error_kind {
  /// The connection is gone or was never made: reconnect, then retry.
  connection,
  /// The transaction lost a race (deadlock, serialization, a row inserted
  /// meanwhile): retry as is.
  conflict,
  /// The statement ran past its statement_timeout (a lock held elsewhere, a
  /// stalled server) and was rolled back: retry while time is left.
  timeout,
  /// A row names a movie that is not in the movies table (foreign key).
  unknown_movie,
  /// A row breaks another constraint or a data rule. Like `unknown_movie`,
  /// the fault of some rows: the batch without them may commit.
  bad_row,
  /// Retrying cannot help, whatever the rows (syntax, permissions, a table
  /// missing).
  permanent,
};

struct db_error {
  db_error_kind kind;
  std::string message;
};

/// Classifies the exception currently being handled; call from a catch block.
db_error classify_current_exception();

/// A value, or the error that kept the database from giving it: how a query's
/// outcome crosses this layer's boundary.
template<class T>
class db_result {
public:
  db_result(T value) : value_(std::move(value)) {
    // nop
  }

  db_result(db_error err) : value_(std::move(err)) {
    // nop
  }

  explicit operator bool() const noexcept {
    return std::holds_alternative<T>(value_);
  }

  T& operator*() { return std::get<T>(value_); }
  const T& operator*() const { return std::get<T>(value_); }
  T* operator->() { return &std::get<T>(value_); }

  const db_error& error() const { return std::get<db_error>(value_); }

private:
  std::variant<T, db_error> value_;
};

inline const char* to_string(db_error_kind kind) {
  switch (kind) {
  case db_error_kind::connection:
    return "connection";
  case db_error_kind::conflict:
    return "conflict";
  case db_error_kind::timeout:
    return "timeout";
  case db_error_kind::unknown_movie:
    return "unknown_movie";
  case db_error_kind::bad_row:
    return "bad_row";
  case db_error_kind::permanent:
    break;
  }
  return "permanent";
}

/// Whether `kind` may succeed when tried again.
inline bool is_transient(db_error_kind kind) {
  return kind == db_error_kind::connection || kind == db_error_kind::conflict ||
         kind == db_error_kind::timeout;
}

/// Whether `kind` is the fault of some rows of the statement, not of all.
inline bool is_row_fault(db_error_kind kind) {
  return kind == db_error_kind::unknown_movie || kind == db_error_kind::bad_row;
}

} // namespace heymovie::persistence
