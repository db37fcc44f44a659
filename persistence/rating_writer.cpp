#include "persistence/rating_writer.hpp"

#include "persistence/array_literal.hpp"
#include "persistence/connect.hpp"
#include "persistence/connection_liveness.hpp"
#include "persistence/sql.hpp"

#include <pqxx/pqxx>

#include <algorithm>
#include <ctime>
#include <numeric>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>

namespace heymovie::persistence {

namespace {

constexpr const char* write_batch = "write_rating_batch";

/// The calendar year (UTC) of a Unix time.
int year_of(int64_t unix_seconds) {
  auto time = static_cast<std::time_t>(unix_seconds);
  std::tm utc{};
  if (gmtime_r(&time, &utc) == nullptr)
    throw std::out_of_range{"rated_at out of range"};
  return utc.tm_year + 1900;
}

} // namespace

rating_writer::rating_writer(const std::string& url, retry_policy policy,
                             std::chrono::milliseconds statement_timeout,
                             int figure_slot)
    : url_(with_liveness_checks(url)), policy_(policy),
      statement_timeout_(statement_timeout), figure_slot_(figure_slot) {
  // Nothing here: the first write connects, so that a database that is down
  // at start-up is retried like any other outage.
}

rating_writer::~rating_writer() = default;

void rating_writer::connect() {
  auto conn = open_connection(url_);
  pqxx::nontransaction setup{*conn};
  setup.exec(sql::use_generic_plans);
  if (statement_timeout_.count() > 0)
    setup.exec(sql::set_statement_timeout(statement_timeout_));
  setup.commit();
  conn->prepare(write_batch, sql::write_rating_batch);
  // Now, not at the first batch: a PREPARE cut short (by the statement
  // timeout, at a locked table) then costs this connection, not the
  // writer's state in a kept one.
  conn->prepare_now(write_batch);
  conn_ = std::move(conn);
  applied_timeout_ = statement_timeout_;
}

void rating_writer::limit_statement_time(std::chrono::milliseconds limit) {
  if (statement_timeout_.count() == 0 || limit == applied_timeout_)
    return;
  pqxx::nontransaction tx{*conn_};
  tx.exec(sql::set_statement_timeout(limit));
  tx.commit();
  applied_timeout_ = limit;
}

void rating_writer::write_once(const std::vector<rating>& rows, range part,
                               write_result& result) {
  // In (user, movie) order: the statement locks and inserts ratings in the
  // order it is given them, so writers of two processes given the same
  // pairs (a rolling deploy) take their locks in one order, not deadlock.
  std::vector<size_t> order(part.end - part.begin);
  std::iota(order.begin(), order.end(), part.begin);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::tie(rows[a].user, rows[a].movie) <
           std::tie(rows[b].user, rows[b].movie);
  });
  // Not in a transaction block: the statement is its own transaction.
  pqxx::nontransaction tx{*conn_};
  auto array = [&](auto field) {
    return array_literal(order, [&](size_t i) { return field(rows[i]); });
  };
  auto written = tx.exec_prepared(
      write_batch, array([](auto& r) { return r.user; }),
      array([](auto& r) { return r.movie; }),
      array([](auto& r) { return int{r.half_stars}; }),
      array([](auto& r) { return r.rated_at; }),
      array([](auto& r) { return year_of(r.rated_at); }), figure_slot_);
  std::fill(result.rows.begin() + static_cast<std::ptrdiff_t>(part.begin),
            result.rows.begin() + static_cast<std::ptrdiff_t>(part.end),
            row_status::created);
  for (auto row : written)
    result.rows.at(order.at(row[0].as<size_t>() - 1)) = row_status::replaced;
}

write_result rating_writer::write(const std::vector<rating>& rows,
                                  clock::time_point give_up_at) {
  write_result result;
  result.rows.assign(rows.size(), row_status::unavailable);
  if (!rows.empty())
    settle(rows, {0, rows.size()}, give_up_at, result);
  return result;
}

void rating_writer::settle(const std::vector<rating>& rows, range part,
                           clock::time_point give_up_at, write_result& result) {
  auto error = write_with_retries(rows, part, give_up_at, result);
  if (!error || is_transient(error->kind))
    return; // written, or left unavailable
  auto first = result.rows.begin() + static_cast<std::ptrdiff_t>(part.begin);
  auto last = result.rows.begin() + static_cast<std::ptrdiff_t>(part.end);
  if (!is_row_fault(error->kind)) {
    std::fill(first, last, row_status::failed);
    return;
  }
  if (part.end - part.begin == 1) {
    *first = error->kind == db_error_kind::unknown_movie
                 ? row_status::unknown_movie
                 : row_status::failed;
    return;
  }
  // A refused row takes about two statements per halving to find; the time
  // for the batch bounds the search, and what is left is unavailable.
  auto middle = part.begin + (part.end - part.begin) / 2;
  for (auto half : {range{part.begin, middle}, range{middle, part.end}}) {
    if (clock::now() >= give_up_at)
      return;
    settle(rows, half, give_up_at, result);
  }
}

std::optional<db_error>
rating_writer::write_with_retries(const std::vector<rating>& rows, range part,
                                  clock::time_point give_up_at,
                                  write_result& result) {
  auto backoff = policy_.backoff;
  for (;;) {
    ++result.attempts;
    try {
      if (!conn_)
        connect();
      // The first statement of a write may take the whole time given; a
      // retry, or a part of a refused batch, only what is left of it. (A
      // round trip more, but only then.)
      auto left = std::chrono::ceil<std::chrono::milliseconds>(give_up_at -
                                                               clock::now());
      limit_statement_time(result.attempts == 1
                               ? statement_timeout_
                               : std::clamp(left, std::chrono::milliseconds{1},
                                            statement_timeout_));
      auto started = clock::now();
      write_once(rows, part, result);
      result.commit_time += clock::now() - started;
      return std::nullopt;
    } catch (...) {
      auto err = classify_current_exception();
      result.errors.push_back(err.kind);
      result.error = err.message;
      if (err.kind == db_error_kind::connection)
        conn_.reset();
      if (!is_transient(err.kind))
        return err;
      auto now = clock::now();
      if (now >= give_up_at)
        return err;
      std::this_thread::sleep_for(
          std::min<clock::duration>(backoff, give_up_at - now));
      backoff = std::min(backoff * 2, policy_.backoff_max);
      ++result.retries;
    }
  }
}

} // namespace heymovie::persistence
