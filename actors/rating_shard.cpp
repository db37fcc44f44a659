#include "actors/rating_shard.hpp"

#include "observability/service_metrics.hpp"

#include <caf/actor_cast.hpp>
#include <spdlog/spdlog.h>

namespace heymovie::actors {

rating_shard_state::rating_shard_state(pointer self) : self_(self) {
  // nop
}

rating_shard_actor::behavior_type
rating_shard_state::make_behavior(shard_settings settings,
                                  writer_pool_actor pool) {
  settings_ = settings;
  pool_ = std::move(pool);
  batcher_ = rating_batcher{settings.batch_size, settings.mailbox_limit};
  return {
      [this](rate_atom, std::vector<rating_command>& commands) {
        admit(commands);
      },
      [this](grant_atom, const db_writer_actor& writer) {
        asked_ = false;
        write_with(writer);
      },
      [this](written_atom, const batch_result& result,
             db_writer_actor& writer) { complete(result, writer); },
      [this](flush_atom, uint64_t generation) {
        if (!timer_armed_ || generation != timer_generation_)
          return;
        timer_armed_ = false;
        if (!in_flight_ && !asked_ && !batcher_.empty())
          ask_for_writer();
      },
      [this](drain_atom) { stop_lingering(); },
      [this](close_atom) { return close(); },
  };
}

caf::typed_response_promise<done_atom> rating_shard_state::close() {
  // Gateways may go on sending to a node that is going away: without
  // refusing, its shards would never be empty.
  closed_ = true;
  stop_lingering();
  auto flushed = self_->make_response_promise<done_atom>();
  flushed_.push_back(flushed);
  report_flushed_if_empty();
  return flushed;
}

void rating_shard_state::report_flushed_if_empty() {
  if (batcher_.pending() > 0)
    return;
  for (auto& promise : flushed_)
    promise.deliver(done_atom::value);
  flushed_.clear();
}

void rating_shard_state::stop_lingering() {
  // Whatever is queued goes to the database now.
  settings_.batch_linger = std::chrono::nanoseconds{0};
  ask_for_writer_if_due();
}

void rating_shard_state::admit(std::vector<rating_command>& commands) {
  auto reply_to = reply_index(self_->current_sender());
  auto refusal = closed_ ? outcome::shutting_down : outcome::shard_full;
  std::vector<rating_outcome> rejected;
  for (auto& cmd : commands)
    if (closed_ || !batcher_.add(cmd, reply_to))
      rejected.push_back({cmd.id, refusal});
  if (!rejected.empty()) {
    observability::service_metrics::instance()
        .rejections(closed_ ? "shutting_down" : "shard_full")
        .Increment(static_cast<double>(rejected.size()));
    self_->send(routers_[reply_to], outcome_atom::value, settings_.index,
                std::move(rejected));
  }
  ask_for_writer_if_due();
}

void rating_shard_state::ask_for_writer_if_due() {
  if (in_flight_ || asked_ || batcher_.empty())
    return;
  if (batcher_.front_full() || settings_.batch_linger.count() == 0) {
    ask_for_writer();
    return;
  }
  if (!timer_armed_) {
    timer_armed_ = true;
    self_->delayed_send(self_, settings_.batch_linger, flush_atom::value,
                        ++timer_generation_);
  }
}

void rating_shard_state::ask_for_writer() {
  timer_armed_ = false;
  asked_ = true;
  self_->send(pool_, ready_atom::value,
              caf::actor_cast<rating_shard_actor>(self_));
}

void rating_shard_state::write_with(const db_writer_actor& writer) {
  rating_batch batch;
  if (!in_flight_ && !batcher_.empty()) {
    in_flight_ = batcher_.take();
    in_flight_writer_ = writer;
    batch = rating_batch{next_batch_id_++, std::move(in_flight_->rows)};
  }
  self_->send(writer, write_atom::value, std::move(batch),
              caf::actor_cast<caf::strong_actor_ptr>(self_));
}

void rating_shard_state::complete(const batch_result& result,
                                  db_writer_actor& writer) {
  // Only a batch that was with the writer that died is lost.
  bool lost = result.batch_id == lost_batch_id;
  if (lost && !(in_flight_ && in_flight_writer_ == writer))
    return;
  std::vector<std::pair<uint16_t, rating_outcome>> outcomes;
  if (in_flight_ && (lost || result.batch_id == next_batch_id_ - 1)) {
    auto batch = std::move(*in_flight_);
    in_flight_.reset();
    batcher_.release(batch.waiters.size());
    outcomes = outcomes_of(batch, result);
  } else {
    spdlog::error("{} {}: result for unknown batch {}", name, settings_.index,
                  result.batch_id);
  }
  if (lost) {
    ask_for_writer_if_due();
  } else {
    // The writer waits for this shard's next batch before its next round;
    // whatever queued up meanwhile has waited for a whole commit, so no
    // lingering. Sent before answering: the answers are not on its path.
    write_with(writer);
  }
  answer(std::move(outcomes));
  if (closed_)
    report_flushed_if_empty();
}

void rating_shard_state::answer(
    std::vector<std::pair<uint16_t, rating_outcome>> outcomes) {
  // Nearly always one router; group per router otherwise.
  std::vector<std::vector<rating_outcome>> per_router(routers_.size());
  for (auto& [reply_to, out] : outcomes)
    per_router[reply_to].push_back(out);
  for (size_t i = 0; i < per_router.size(); ++i)
    if (!per_router[i].empty())
      self_->send(routers_[i], outcome_atom::value, settings_.index,
                  std::move(per_router[i]));
}

uint16_t rating_shard_state::reply_index(const caf::strong_actor_ptr& sender) {
  auto router = caf::actor_cast<router_actor>(sender);
  for (size_t i = 0; i < routers_.size(); ++i)
    if (routers_[i] == router)
      return static_cast<uint16_t>(i);
  routers_.push_back(std::move(router));
  return static_cast<uint16_t>(routers_.size() - 1);
}

rating_shard_actor::behavior_type rating_shard(rating_shard_state::pointer self,
                                               shard_settings settings,
                                               writer_pool_actor pool) {
  return self->state.make_behavior(settings, std::move(pool));
}

} // namespace heymovie::actors
