#include "actors/db_writer.hpp"

#include "observability/log_throttle.hpp"
#include "observability/service_metrics.hpp"

#include <caf/actor_cast.hpp>
#include <spdlog/spdlog.h>

namespace heymovie::actors {

namespace {

/// While the database is down every batch retries: one log line per interval.
observability::log_throttle retries;

/// Ratings of a movie deleted while the service runs: one line per interval.
observability::log_throttle refusals;

outcome outcome_of(persistence::row_status status) {
  using persistence::row_status;
  switch (status) {
  case row_status::created:
    return outcome::created;
  case row_status::replaced:
    return outcome::replaced;
  case row_status::unknown_movie:
    return outcome::unknown_movie;
  case row_status::unavailable:
    return outcome::unavailable;
  case row_status::failed:
    break;
  }
  return outcome::failed;
}

} // namespace

db_writer_state::db_writer_state(pointer self) : self_(self) {
  // nop
}

db_writer_actor::behavior_type
db_writer_state::make_behavior(const writer_settings& settings,
                               writer_pool_actor pool) {
  settings_ = settings;
  pool_ = std::move(pool);
  writer_ = settings.open();
  return {
      [this](write_atom, rating_batch& batch,
             const caf::strong_actor_ptr& shard) { gather(batch, shard); },
      [this](expect_atom, uint32_t shards) { expect(shards); },
  };
}

void db_writer_state::gather(rating_batch& batch,
                             const caf::strong_actor_ptr& shard) {
  gathered_.push_back({std::move(batch), shard});
  --awaited_;
  write_round_if_complete();
}

void db_writer_state::expect(uint32_t shards) {
  awaited_ += shards;
  awaiting_pool_ = false;
  write_round_if_complete();
}

void db_writer_state::write_round_if_complete() {
  // With no batches and nothing awaited, the writer is idle (and the pool
  // knows: no shard stayed with it and it granted none).
  if (awaiting_pool_ || awaited_ != 0 || gathered_.empty())
    return;
  auto staying = write_round();
  gathered_.clear();
  awaited_ = static_cast<int64_t>(staying.size());
  awaiting_pool_ = true;
  self_->send(pool_, done_atom::value, caf::actor_cast<db_writer_actor>(self_),
              std::move(staying));
}

std::vector<rating_shard_actor> db_writer_state::write_round() {
  std::vector<rating> rows;
  for (auto& g : gathered_)
    rows.insert(rows.end(), g.batch.rows.begin(), g.batch.rows.end());
  std::vector<rating_shard_actor> staying;
  if (rows.empty())
    return staying;
  auto outcomes = write(rows);
  // Each shard gets its own slice of the result.
  auto offset = outcomes.begin();
  auto me = caf::actor_cast<db_writer_actor>(self_);
  for (auto& g : gathered_) {
    if (g.batch.rows.empty())
      continue;
    auto end = offset + static_cast<std::ptrdiff_t>(g.batch.rows.size());
    batch_result result{g.batch.id, {offset, end}};
    offset = end;
    auto shard = caf::actor_cast<rating_shard_actor>(g.shard);
    self_->send(shard, written_atom::value, std::move(result), me);
    staying.push_back(std::move(shard));
  }
  return staying;
}

std::vector<outcome> db_writer_state::write(const std::vector<rating>& rows) {
  using clock = persistence::batch_writer::clock;
  using persistence::row_status;
  auto& metrics = observability::service_metrics::instance();
  auto written = writer_->write(rows, clock::now() + settings_.give_up_after);
  for (auto kind : written.errors)
    metrics.db_errors(persistence::to_string(kind)).Increment();
  if (written.retries > 0)
    metrics.db_retries.Increment(static_cast<double>(written.retries));
  auto committed =
      written.count(row_status::created) + written.count(row_status::replaced);
  auto unavailable = written.count(row_status::unavailable);
  auto unknown = written.count(row_status::unknown_movie);
  auto failed = written.count(row_status::failed);
  // Refusals are answers too: only giving up says the database is down.
  metrics.db_up.Set(unavailable == 0 ? 1 : 0);
  if (committed > 0) {
    metrics.batch_size.Observe(static_cast<double>(committed));
    metrics.commit_duration.Observe(
        std::chrono::duration<double>(written.commit_time).count());
  }
  if (unavailable > 0)
    retries.log(spdlog::level::warn, std::to_string(unavailable) +
                                         " ratings not written after " +
                                         std::to_string(written.attempts) +
                                         " attempts: " + written.error);
  else if (written.attempts > 1 && unknown + failed == 0)
    retries.log(spdlog::level::warn,
                std::to_string(rows.size()) + " ratings committed after " +
                    std::to_string(written.attempts) + " attempts");
  if (unknown > 0)
    refusals.log(spdlog::level::warn,
                 std::to_string(unknown) +
                     " ratings of movies no longer in the database refused, " +
                     std::to_string(committed) + " committed");
  if (failed > 0)
    spdlog::error("{}: {} ratings refused by the database: {}", name, failed,
                  written.error);
  std::vector<outcome> outcomes;
  outcomes.reserve(rows.size());
  for (auto status : written.rows)
    outcomes.push_back(outcome_of(status));
  return outcomes;
}

db_writer_actor::behavior_type db_writer(db_writer_state::pointer self,
                                         writer_settings settings,
                                         writer_pool_actor pool) {
  return self->state.make_behavior(settings, std::move(pool));
}

} // namespace heymovie::actors
