#include "actors/catalog_refresher.hpp"

#include "persistence/read_queries.hpp"

#include <spdlog/spdlog.h>

namespace heymovie::actors {

namespace {

/// Runs on a reader: reads the ids and swaps them in.
class refresh_job final : public read_job {
public:
  explicit refresh_job(std::shared_ptr<persistence::movie_catalog> catalog)
      : catalog_(std::move(catalog)) {
    // nop
  }

  const char* name() const noexcept override { return "catalog"; }

  /// No client waits for it: never expires (it runs late rather than not).
  std::chrono::steady_clock::time_point deadline() const noexcept override {
    return std::chrono::steady_clock::time_point::max();
  }

  std::optional<persistence::db_error>
  run(persistence::read_queries& db) override {
    auto ids = db.movie_ids();
    if (!ids)
      return ids.error();
    auto change = catalog_->replace(std::move(*ids));
    if (change.added > 0 || change.removed > 0)
      spdlog::info("catalogue: {} movies ({} added, {} removed)",
                   catalog_->size(), change.added, change.removed);
    return std::nullopt;
  }

  // The reader logs failures; the next period tries again.
  void fail(const persistence::db_error&) override {}
  void refuse() override {}

private:
  std::shared_ptr<persistence::movie_catalog> catalog_;
};

} // namespace

catalog_refresher_state::catalog_refresher_state(pointer self) : self_(self) {
  // nop
}

catalog_refresher_actor::behavior_type catalog_refresher_state::make_behavior(
    std::shared_ptr<persistence::movie_catalog> catalog,
    reader_pool_actor readers, std::chrono::nanoseconds period) {
  self_->delayed_send(self_, period, refresh_atom::value);
  return {
      [this, catalog, readers, period](refresh_atom) {
        // One at a time: two reads finishing out of order would let the
        // older one win. While the last job is queued or running (the pool
        // or a reader holds it), this turn is skipped.
        if (in_flight_.expired()) {
          auto job = std::make_shared<refresh_job>(catalog);
          in_flight_ = job;
          self_->send(readers, read_atom::value, read_job_ptr{std::move(job)});
        }
        self_->delayed_send(self_, period, refresh_atom::value);
      },
  };
}

catalog_refresher_actor::behavior_type
catalog_refresher(catalog_refresher_state::pointer self,
                  std::shared_ptr<persistence::movie_catalog> catalog,
                  reader_pool_actor readers, std::chrono::nanoseconds period) {
  return self->state.make_behavior(std::move(catalog), std::move(readers),
                                   period);
}

} // namespace heymovie::actors
