#include "actors/writer_pool.hpp"

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/exit_reason.hpp>
#include <caf/system_messages.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <iterator>

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
      [this](done_atom, const db_writer_actor& writer,
             std::vector<rating_shard_actor>& staying) {
        on_done(writer, staying);
      },
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

void writer_pool_state::grant_waiting_shards(const db_writer_actor& writer) {
  auto& served = busy_[writer.address()];
  served.writer = writer;
  for (auto& shard : ready_)
    self_->send(shard, grant_atom::value, writer);
  auto granted = static_cast<uint32_t>(ready_.size());
  served.shards.insert(served.shards.end(),
                       std::make_move_iterator(ready_.begin()),
                       std::make_move_iterator(ready_.end()));
  ready_.clear();
  self_->send(writer, expect_atom::value, granted);
}

void writer_pool_state::grant_idle_writer() {
  if (ready_.empty() || idle_.empty())
    return;
  auto writer = std::move(idle_.back());
  idle_.pop_back();
  grant_waiting_shards(writer);
}

void writer_pool_state::on_ready(rating_shard_actor& shard) {
  ready_.push_back(std::move(shard));
  grant_idle_writer();
}

void writer_pool_state::on_done(const db_writer_actor& writer,
                                std::vector<rating_shard_actor>& staying) {
  // The writer waits for this answer before its next round, so no grant is
  // outstanding: it serves exactly the shards that stay, and those granted
  // now.
  auto& served = busy_[writer.address()];
  served.shards = std::move(staying);
  grant_waiting_shards(writer);
  if (served.shards.empty()) {
    busy_.erase(writer.address());
    idle_.push_back(writer);
  }
}

void writer_pool_state::on_writer_down(const caf::down_msg& msg) {
  spdlog::error("{}: a DB writer ended ({}); starting another", name,
                self_->system().render(msg.reason));
  if (auto i = busy_.find(msg.source); i != busy_.end()) {
    // Whatever batch each shard has in flight with this writer is lost.
    for (auto& shard : i->second.shards)
      self_->send(shard, written_atom::value, batch_result{lost_batch_id, {}},
                  i->second.writer);
    busy_.erase(i);
  }
  idle_.erase(
      std::remove_if(idle_.begin(), idle_.end(),
                     [&](auto& w) { return w.address() == msg.source; }),
      idle_.end());
  spawn_writer();
  // Shards that queued while the dead writer was busy ask only once.
  grant_idle_writer();
}

writer_pool_actor::behavior_type writer_pool(writer_pool_state::pointer self,
                                             writer_settings settings,
                                             size_t writers) {
  return self->state.make_behavior(std::move(settings), writers);
}

} // namespace heymovie::actors
