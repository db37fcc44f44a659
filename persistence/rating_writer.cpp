#include "persistence/rating_writer.hpp"

#include "persistence/movie_deltas.hpp"
#include "persistence/sql.hpp"

#include <pqxx/pqxx>

#include <algorithm>
#include <thread>
#include <tuple>

namespace heymovie::persistence {

namespace {

constexpr const char* upsert = "upsert_ratings";
constexpr const char* update_aggregates = "update_movie_aggregates";

const std::vector<std::string> stage_columns{"seq", "user_id", "movie_id",
                                             "half_stars", "rated_at"};

} // namespace

rating_writer::rating_writer(std::string url, retry_policy policy)
    : url_(std::move(url)), policy_(policy) {
  // Nothing here: the first write connects, so that a database that is down
  // at start-up is retried like any other outage.
}

rating_writer::~rating_writer() = default;

void rating_writer::connect() {
  auto conn = std::make_unique<pqxx::connection>(url_);
  pqxx::nontransaction setup{*conn};
  setup.exec(sql::create_rating_stage);
  setup.exec(sql::use_generic_plans);
  setup.commit();
  conn->prepare(upsert, sql::upsert_ratings);
  conn->prepare(update_aggregates, sql::update_movie_aggregates);
  conn_ = std::move(conn);
}

std::vector<bool> rating_writer::write_once(const std::vector<rating>& rows) {
  pqxx::work tx{*conn_};
  pqxx::stream_to copy{tx, sql::rating_stage_table, stage_columns};
  for (size_t seq = 0; seq < rows.size(); ++seq) {
    auto& r = rows[seq];
    copy << std::make_tuple(seq, r.user, r.movie,
                            static_cast<int>(r.half_stars), r.rated_at);
  }
  copy.complete();
  std::vector<int> previous(rows.size(), 0);
  for (auto row : tx.exec_prepared(upsert))
    if (!row[1].is_null())
      previous.at(row[0].as<size_t>()) = row[1].as<int>();
  auto deltas = movie_deltas(rows, previous);
  if (!deltas.empty()) {
    auto ids = pg_array(deltas, [](auto& d) { return d.movie; });
    tx.exec_prepared(
        update_aggregates, ids,
        pg_array(deltas, [](auto& d) { return d.added_votes; }),
        pg_array(deltas, [](auto& d) { return d.added_half_stars; }));
  }
  tx.commit();
  std::vector<bool> replaced(rows.size());
  for (size_t i = 0; i < rows.size(); ++i)
    replaced[i] = previous[i] != 0;
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
