#include "support/actor_pipeline.hpp"

#include "actors/router.hpp"

#include <caf/exit_reason.hpp>
#include <caf/send.hpp>
#include <catch2/catch.hpp>

#include <algorithm>

namespace heymovie::testing {

using namespace actors;

void outcome_collector::deliver(std::vector<rating_outcome> outcomes) {
  std::lock_guard<std::mutex> guard{mutex_};
  received_.insert(received_.end(), outcomes.begin(), outcomes.end());
  arrived_.notify_all();
}

std::vector<rating_outcome> outcome_collector::wait_for(size_t n) {
  std::unique_lock<std::mutex> lock{mutex_};
  INFO("waiting for " << n << " outcome(s)");
  REQUIRE(arrived_.wait_for(lock, std::chrono::seconds{20},
                            [&] { return received_.size() >= n; }));
  return received_;
}

size_t outcome_collector::count() {
  std::lock_guard<std::mutex> guard{mutex_};
  return received_.size();
}

namespace {

config::settings settings_of(const pipeline_options& options) {
  config::settings s;
  s.pipeline.shards = options.shards;
  s.pipeline.mailbox_limit = options.mailbox_limit;
  s.pipeline.batch_size = options.batch_size;
  s.pipeline.batch_linger = std::chrono::nanoseconds{0};
  s.db.writers = options.writers;
  s.http.request_deadline = options.give_up_after;
  return s;
}

} // namespace

actor_pipeline::actor_pipeline(persistence::batch_writer_factory storage,
                               pipeline_options options)
    : settings_(settings_of(options)), sys_(cfg_),
      writes_(sys_, settings_, std::move(storage)),
      router_(sys_.spawn(router, writes_.shards(), options.mailbox_limit,
                         health_)) {
  // nop
}

actor_pipeline::~actor_pipeline() {
  writes_.stop();
  caf::anon_send_exit(router_, caf::exit_reason::user_shutdown);
}

void actor_pipeline::submit(std::vector<rating_command> commands) {
  caf::anon_send(router_, submit_atom::value, std::move(commands),
                 outcome_sink_ptr{outcomes});
}

bool actor_pipeline::close_shards(std::chrono::nanoseconds grace) {
  return writes_.close(grace);
}

rating_command command(uint64_t seq, int32_t user, int32_t movie,
                       uint8_t half_stars) {
  return {make_ticket(outcome_collector::id, seq),
          {user, movie, half_stars, 0}};
}

size_t count_of(const std::vector<rating_outcome>& all, outcome which) {
  return static_cast<size_t>(std::count_if(
      all.begin(), all.end(), [which](auto& o) { return o.result == which; }));
}

outcome outcome_of(const std::vector<rating_outcome>& all, uint64_t seq) {
  for (auto& o : all)
    if (o.id == make_ticket(outcome_collector::id, seq))
      return o.result;
  FAIL("no outcome for request " << seq);
  return outcome::failed;
}

} // namespace heymovie::testing
