#include "actors/reader_pool.hpp"

#include "actors/db_reader.hpp"

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>

namespace heymovie::actors {

reader_pool_state::reader_pool_state(pointer self) : self_(self) {
  // nop
}

reader_pool_actor::behavior_type
reader_pool_state::make_behavior(reader_settings settings) {
  settings_ = std::move(settings);
  for (size_t i = 0; i < settings_.readers; ++i) {
    auto reader = self_->system().spawn<caf::detached>(
        db_reader, settings_.open, caf::actor_cast<reader_pool_actor>(self_));
    // Readers end with the pool.
    self_->link_to(reader);
    idle_.push_back(std::move(reader));
  }
  return {
      [this](read_atom, read_job_ptr& job) { submit(std::move(job)); },
      [this](done_atom, db_reader_actor& reader) { on_done(reader); },
  };
}

void reader_pool_state::submit(read_job_ptr job) {
  if (!idle_.empty()) {
    auto reader = std::move(idle_.back());
    idle_.pop_back();
    self_->send(reader, read_atom::value, std::move(job));
  } else if (waiting_.size() < settings_.queue_limit) {
    waiting_.push_back(std::move(job));
  } else {
    job->refuse();
  }
}

void reader_pool_state::on_done(db_reader_actor& reader) {
  if (waiting_.empty()) {
    idle_.push_back(std::move(reader));
    return;
  }
  auto job = std::move(waiting_.front());
  waiting_.pop_front();
  self_->send(reader, read_atom::value, std::move(job));
}

reader_pool_actor::behavior_type reader_pool(reader_pool_state::pointer self,
                                             reader_settings settings) {
  return self->state.make_behavior(std::move(settings));
}

} // namespace heymovie::actors
