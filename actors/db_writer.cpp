#include "actors/db_writer.hpp"

#include <caf/actor_cast.hpp>
#include <spdlog/spdlog.h>

namespace heymovie::actors {

db_writer_state::db_writer_state(pointer self) : self_(self) {
  // nop
}

db_writer_actor::behavior_type
db_writer_state::make_behavior(const writer_settings& settings,
                               writer_pool_actor pool) {
  settings_ = settings;
  pool_ = std::move(pool);
  writer_ = std::make_unique<persistence::rating_writer>(settings.db_url,
                                                         settings.retry);
  return {
      [this](write_atom, rating_batch& batch,
             const caf::strong_actor_ptr& shard,
             uint32_t expected) { gather(batch, shard, expected); },
  };
}

void db_writer_state::gather(rating_batch& batch,
                             const caf::strong_actor_ptr& shard,
                             uint32_t expected) {
  gathered_.push_back({std::move(batch), shard});
  if (gathered_.size() < expected)
    return;
  write_gathered();
  gathered_.clear();
}

void db_writer_state::write_gathered() {
  std::vector<rating> rows;
  for (auto& g : gathered_)
    rows.insert(rows.end(), g.batch.rows.begin(), g.batch.rows.end());
  std::vector<bool> replaced;
  auto status = rows.empty() ? batch_status::committed : write(rows, replaced);
  // Each shard gets its own slice of the result.
  auto offset = replaced.begin();
  auto me = caf::actor_cast<db_writer_actor>(self_);
  for (auto& g : gathered_) {
    batch_result result{g.batch.id, status, {}};
    if (status == batch_status::committed) {
      auto end = offset + static_cast<std::ptrdiff_t>(g.batch.rows.size());
      result.replaced.assign(offset, end);
      offset = end;
    }
    self_->send(caf::actor_cast<rating_shard_actor>(g.shard),
                written_atom::value, std::move(result), me);
  }
}

batch_status db_writer_state::write(const std::vector<rating>& rows,
                                    std::vector<bool>& replaced) {
  using clock = persistence::rating_writer::clock;
  auto give_up_at = clock::now() + settings_.give_up_after;
  auto written = writer_->write(rows, give_up_at);
  switch (written.status) {
  case persistence::write_status::committed:
    replaced = std::move(written.replaced);
    if (written.attempts > 1)
      spdlog::info("{}: {} ratings committed after {} attempts", name,
                   rows.size(), written.attempts);
    return batch_status::committed;
  case persistence::write_status::unavailable:
    spdlog::warn("{}: {} ratings not written after {} attempts: {}", name,
                 rows.size(), written.attempts, written.error);
    return batch_status::unavailable;
  case persistence::write_status::rejected:
    break;
  }
  spdlog::error("{}: {} ratings refused by the database: {}", name, rows.size(),
                written.error);
  return batch_status::failed;
}

db_writer_actor::behavior_type db_writer(db_writer_state::pointer self,
                                         writer_settings settings,
                                         writer_pool_actor pool) {
  return self->state.make_behavior(settings, std::move(pool));
}

} // namespace heymovie::actors
