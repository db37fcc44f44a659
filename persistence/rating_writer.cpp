#include "persistence/rating_writer.hpp"

#include "persistence/connection_liveness.hpp"
#include "persistence/sql.hpp"

#include <pqxx/pqxx>

#include <algorithm>
#include <string>
#include <thread>

namespace heymovie::persistence {

namespace {

constexpr const char* write_batch = "write_rating_batch";

/// A PostgreSQL array literal of one field of every row: `{1,2,3}`.
template<class Field>
std::string pg_array(const std::vector<rating>& rows, Field field) {
  std::string out = "{";
  for (auto& r : rows) {
    if (out.size() > 1)
      out += ',';
    out += std::to_string(field(r));
  }
  out += '}';
  return out;
}

} // namespace

rating_writer::rating_writer(const std::string& url, retry_policy policy)
    : url_(with_liveness_checks(url)), policy_(policy) {
  // Nothing here: the first write connects, so that a database that is down
  // at start-up is retried like any other outage.
}

rating_writer::~rating_writer() = default;

void rating_writer::connect() {
  auto conn = std::make_unique<pqxx::connection>(url_);
  pqxx::nontransaction setup{*conn};
  setup.exec(sql::use_generic_plans);
  setup.commit();
  conn->prepare(write_batch, sql::write_rating_batch);
  conn_ = std::move(conn);
}

std::vector<bool> rating_writer::write_once(const std::vector<rating>& rows) {
  // Not in a transaction block: the statement is its own transaction.
  pqxx::nontransaction tx{*conn_};
  auto result = tx.exec_prepared(
      write_batch, pg_array(rows, [](auto& r) { return r.user; }),
      pg_array(rows, [](auto& r) { return r.movie; }),
      pg_array(rows, [](auto& r) { return int{r.half_stars}; }),
      pg_array(rows, [](auto& r) { return r.rated_at; }));
  std::vector<bool> replaced(rows.size());
  for (auto row : result)
    if (!row[1].is_null())
      replaced.at(row[0].as<size_t>() - 1) = true;
  return replaced;
}

write_result rating_writer::write(const std::vector<rating>& rows,
                                  clock::time_point give_up_at) {
  write_result result;
  auto backoff = policy_.backoff;
  for (;;) {
    ++result.attempts;
    try {
      if (!conn_)
        connect();
      auto started = clock::now();
      result.replaced = write_once(rows);
      result.commit_time = clock::now() - started;
      result.status = write_status::committed;
      result.error.clear();
      return result;
    } catch (...) {
      auto err = classify_current_exception();
      result.errors.push_back(err.kind);
      result.error = std::move(err.message);
      if (err.kind == db_error_kind::connection)
        conn_.reset();
      if (!is_transient(err.kind)) {
        result.status = write_status::rejected;
        return result;
      }
    }
    auto now = clock::now();
    if (now >= give_up_at) {
      result.status = write_status::unavailable;
      return result;
    }
    std::this_thread::sleep_for(
        std::min<clock::duration>(backoff, give_up_at - now));
    backoff = std::min(backoff * 2, policy_.backoff_max);
  }
}

} // namespace heymovie::persistence
