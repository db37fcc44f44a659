#include "actors/db_reader.hpp"

#include "observability/log_throttle.hpp"
#include "observability/service_metrics.hpp"

#include <caf/actor_cast.hpp>

#include <chrono>

namespace heymovie::actors {

namespace {

observability::log_throttle read_errors;

} // namespace

db_reader_state::db_reader_state(pointer self) : self_(self) {
  // nop
}

db_reader_actor::behavior_type
db_reader_state::make_behavior(const persistence::read_queries_factory& open,
                               reader_pool_actor pool) {
  pool_ = std::move(pool);
  db_ = open();
  return {
      [this](read_atom, const read_job_ptr& job) {
        if (job)
          run(*job);
        self_->send(pool_, done_atom::value,
                    caf::actor_cast<db_reader_actor>(self_));
      },
  };
}

void db_reader_state::run(read_job& job) {
  auto& metrics = observability::service_metrics::instance();
  auto started = std::chrono::steady_clock::now();
  // Queued behind a slow query past its deadline: answered already.
  if (started >= job.deadline()) {
    metrics.reads_expired.Increment();
    return;
  }
  for (int attempt = 1;; ++attempt) {
    std::optional<persistence::db_error> err;
    try {
      err = job.run(*db_);
    } catch (const std::exception& e) {
      // A job that fails otherwise (out of memory while rendering) is
      // answered too; the reader and its pool live on.
      err = persistence::db_error{persistence::db_error_kind::permanent,
                                  e.what()};
    }
    if (!err) {
      metrics.db_up.Set(1);
      break;
    }
    metrics.db_errors(to_string(err->kind)).Increment();
    bool lost = err->kind == persistence::db_error_kind::connection;
    // A connection that broke while idle (a database restart, a killed
    // backend) says nothing about the next one: reads are safe to repeat.
    if (lost && attempt == 1 &&
        std::chrono::steady_clock::now() < job.deadline())
      continue;
    if (lost)
      metrics.db_up.Set(0);
    read_errors.log(spdlog::level::warn, "read failed: " + err->message);
    job.fail(*err);
    break;
  }
  std::chrono::duration<double> took =
      std::chrono::steady_clock::now() - started;
  metrics.read_duration(job.name()).Observe(took.count());
}

db_reader_actor::behavior_type db_reader(db_reader_state::pointer self,
                                         persistence::read_queries_factory open,
                                         reader_pool_actor pool) {
  return self->state.make_behavior(open, std::move(pool));
}

} // namespace heymovie::actors
