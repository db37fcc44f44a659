#include "http/rating_submitter.hpp"

#include "http/session.hpp"
#include "observability/log_throttle.hpp"
#include "observability/service_metrics.hpp"

#include <boost/asio/post.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace heymovie::http {

using namespace std::chrono_literals;

namespace {

/// While the database is down every request runs late: one line per interval.
observability::log_throttle late_answers;

} // namespace

rating_submitter::rating_submitter(uint16_t id, boost::asio::io_context& ioc,
                                   actors::router_actor router,
                                   persistence::movie_catalog& catalog,
                                   std::chrono::nanoseconds deadline,
                                   std::function<void()> idle)
    : id_(id), ioc_(ioc), router_(std::move(router)), catalog_(catalog),
      deadline_(deadline),
      // Sweeping 20 times per deadline keeps a late answer within 5% of it.
      sweep_period_(
          std::clamp<std::chrono::nanoseconds>(deadline / 20, 1ms, 50ms)),
      idle_(std::move(idle)), sweep_timer_(ioc) {
  // nop
}

void rating_submitter::start() {
  schedule_sweep();
}

void rating_submitter::stop() {
  stopped_ = true;
  sweep_timer_.cancel();
  for (auto& e : entries_)
    if (!e.answered)
      answer(e, actors::outcome::shutting_down);
  entries_.clear();
}

void rating_submitter::submit(const actors::rating& r,
                              std::shared_ptr<session> owner, uint64_t slot) {
  if (stopped_) {
    owner->complete(slot, actors::outcome::shutting_down);
    return;
  }
  auto seq = first_seq_ + entries_.size();
  // The sweep runs every sweep_period_: expire that much early so that the
  // answer never comes later than the deadline.
  entries_.push_back({std::move(owner), slot, r.movie,
                      clock::now() + deadline_ - sweep_period_, false});
  ++pending_;
  outbox_.push_back({actors::make_ticket(id_, seq), r});
  if (!flush_posted_) {
    // Everything submitted until the posted handler runs goes in one message.
    flush_posted_ = true;
    boost::asio::post(ioc_, [self = shared_from_this()] { self->flush(); });
  }
}

void rating_submitter::flush() {
  flush_posted_ = false;
  if (outbox_.empty())
    return;
  std::vector<actors::rating_command> batch;
  batch.reserve(outbox_.capacity());
  batch.swap(outbox_);
  caf::anon_send(router_, actors::submit_atom::value, std::move(batch),
                 actors::outcome_sink_ptr{shared_from_this()});
}

void rating_submitter::deliver(std::vector<actors::rating_outcome> outcomes) {
  boost::asio::post(
      ioc_, [self = shared_from_this(), outcomes = std::move(outcomes)] {
        self->complete(outcomes);
      });
}

void rating_submitter::complete(
    const std::vector<actors::rating_outcome>& outcomes) {
  for (auto& o : outcomes) {
    auto seq = actors::sequence_of(o.id);
    if (seq < first_seq_ || seq - first_seq_ >= entries_.size())
      continue; // swept already
    auto& e = entries_[seq - first_seq_];
    // Later ratings of it get 422 at once instead of a refused batch each.
    if (o.result == actors::outcome::unknown_movie &&
        catalog_.withdraw(e.movie))
      spdlog::warn("movie {} withdrawn from the catalogue: the database no "
                   "longer has it",
                   e.movie);
    if (!e.answered)
      answer(e, o.result);
  }
  while (!entries_.empty() && entries_.front().answered) {
    entries_.pop_front();
    ++first_seq_;
  }
}

void rating_submitter::answer(entry& e, actors::outcome result) {
  e.answered = true;
  --pending_;
  // Released before the call: completing may end the session.
  auto owner = std::move(e.owner);
  owner->complete(e.slot, result);
  if (pending_ == 0 && idle_)
    idle_();
}

void rating_submitter::sweep() {
  auto now = clock::now();
  while (!entries_.empty() &&
         (entries_.front().answered || entries_.front().expires <= now)) {
    auto& e = entries_.front();
    if (!e.answered)
      answer(e, actors::outcome::unavailable);
    entries_.pop_front();
    ++first_seq_;
  }
}

void rating_submitter::schedule_sweep() {
  if (stopped_)
    return;
  sweep_timer_.expires_after(sweep_period_);
  sweep_timer_.async_wait(
      [self = shared_from_this()](const boost::system::error_code& ec) {
        if (ec)
          return;
        self->sweep();
        self->schedule_sweep();
      });
}

} // namespace heymovie::http
