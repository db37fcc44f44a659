#include "actors/writer_pool.hpp"

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/exit_reason.hpp>
#include <caf/system_messages.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace heymovie::actors {

writer_pool_state::writer_pool_state(pointer self) : self_(self) {
  // nop
}

writer_pool_actor::behavior_type
writer_pool_state::make_behavior(writer_settings settings, size_t writers) {
  settings_ = std::move(settings);
  self_->set_down_handler([this](caf::down_msg& msg) { on_writer_down(msg); });
  // Writers are linked so that they end with the pool; a writer's own end is
  // handled by the down handler, so its exit message must not end the pool.
  self_->set_exit_handler([this](caf::exit_msg& msg) {
    if (writers_.count(msg.source) == 0)
      self_->quit(msg.reason);
  });
  for (size_t i = 0; i < writers; ++i)
    spawn_writer();
  return {
      [this](ready_atom, rating_shard_actor& shard) { on_ready(shard); },
      [this](done_atom, rating_shard_actor& shard, db_writer_actor& writer,
             bool more) { on_done(shard, writer, more); },
  };
}

void writer_pool_state::spawn_writer() {
  auto writer = self_->system().spawn<caf::detached>(
      db_writer, settings_, caf::actor_cast<writer_pool_actor>(self_));
  self_->monitor(writer);
  // Writers end with the pool.
  self_->link_to(writer);
  writers_.insert(writer.address());
  idle_.push_back(std::move(writer));
}

void writer_pool_state::grant_waiting_shards(db_writer_actor writer) {
  auto gathered = static_cast<uint32_t>(ready_.size());
  auto& shards = busy_[writer.address()];
  shards.assign(ready_.begin(), ready_.end());
  ready_.clear();
  for (auto& shard : shards)
    self_->send(shard, grant_atom::value, writer, gathered);
}

void writer_pool_state::on_ready(rating_shard_actor& shard) {
  ready_.push_back(std::move(shard));
  if (idle_.empty())
    return;
  auto writer = std::move(idle_.back());
  idle_.pop_back();
  grant_waiting_shards(std::move(writer));
}

void writer_pool_state::on_done(rating_shard_actor& shard,
                                db_writer_actor& writer, bool more) {
  if (more)
    ready_.push_back(shard);
  auto i = writer ? busy_.find(writer.address()) : busy_.end();
  if (i != busy_.end()) {
    auto& waiting_for = i->second;
    waiting_for.erase(
        std::remove(waiting_for.begin(), waiting_for.end(), shard),
        waiting_for.end());
    if (waiting_for.empty()) {
      busy_.erase(i);
      release(writer);
      return;
    }
  }
  // A shard with more to do and an idle writer: no reason to wait.
  if (!ready_.empty() && !idle_.empty()) {
    auto idle = std::move(idle_.back());
    idle_.pop_back();
    grant_waiting_shards(std::move(idle));
  }
}

void writer_pool_state::release(db_writer_actor writer) {
  if (ready_.empty())
    idle_.push_back(std::move(writer));
  else
    grant_waiting_shards(std::move(writer));
}

void writer_pool_state::on_writer_down(const caf::down_msg& msg) {
  spdlog::error("{}: a DB writer ended ({}); starting another", name,
                self_->system().render(msg.reason));
  if (auto i = busy_.find(msg.source); i != busy_.end()) {
    // Id 0: whatever batch the shard has in flight.
    for (auto& shard : i->second)
      self_->send(shard, written_atom::value,
                  batch_result{0, batch_status::unavailable, {}},
                  db_writer_actor{});
    busy_.erase(i);
  }
  idle_.erase(
      std::remove_if(idle_.begin(), idle_.end(),
                     [&](auto& w) { return w.address() == msg.source; }),
      idle_.end());
  spawn_writer();
}

writer_pool_actor::behavior_type writer_pool(writer_pool_state::pointer self,
                                             writer_settings settings,
                                             size_t writers) {
  return self->state.make_behavior(std::move(settings), writers);
}

} // namespace heymovie::actors
