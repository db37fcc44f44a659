#include "node/write_pipeline.hpp"

#include "actors/rating_shard.hpp"
#include "actors/writer_pool.hpp"

#include <caf/exit_reason.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

namespace heymovie::node {

write_pipeline::write_pipeline(caf::actor_system& sys,
                               const config::settings& s,
                               persistence::batch_writer_factory storage)
    : sys_(sys) {
  pool_ = sys.spawn(
      actors::writer_pool,
      actors::writer_settings{std::move(storage), s.http.request_deadline},
      s.db.writers);
  for (size_t i = 0; i < s.pipeline.shards; ++i)
    shards_.push_back(sys.spawn(actors::rating_shard,
                                actors::shard_settings{static_cast<uint32_t>(i),
                                                       s.pipeline.batch_size,
                                                       s.pipeline.mailbox_limit,
                                                       s.pipeline.batch_linger},
                                pool_));
}

bool write_pipeline::close(std::chrono::nanoseconds grace) {
  caf::scoped_actor self{sys_};
  // All asked at once, so that they flush side by side; each answers once
  // it has nothing pending.
  std::vector<decltype(self->request(shards_.front(), grace,
                                     actors::close_atom::value))>
      flushed;
  for (auto& shard : shards_)
    flushed.push_back(self->request(shard, grace, actors::close_atom::value));
  bool all = true;
  for (auto& answer : flushed)
    answer.receive([](actors::done_atom) {},
                   [&all](const caf::error&) { all = false; });
  return all;
}

void write_pipeline::stop() {
  for (auto& shard : shards_)
    caf::anon_send_exit(shard, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(pool_, caf::exit_reason::user_shutdown);
  shards_.clear();
  pool_ = nullptr;
}

} // namespace heymovie::node
