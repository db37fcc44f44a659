// The bridge from one Asio thread to the router. Sessions on that thread
// submit ratings here; they go to the router in one message per turn of the
// event loop (not one per request), and the outcomes come back through the
// `outcome_sink` interface, are posted to the thread and handed to the
// session that asked. Every request is answered within the request deadline:
// one whose outcome is late is answered 503 by a periodic sweep.

#pragma once

#include "actors/messages.hpp"
#include "persistence/movie_catalog.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <vector>

namespace heymovie::http {

class session;

class rating_submitter : public actors::outcome_sink,
                         public std::enable_shared_from_this<rating_submitter> {
public:
  using clock = std::chrono::steady_clock;

  /// `catalog` loses the movies that the database turns out not to have;
  /// `idle` is called whenever the last pending request has been answered.
  rating_submitter(uint16_t id, boost::asio::io_context& ioc,
                   actors::router_actor router,
                   persistence::movie_catalog& catalog,
                   std::chrono::nanoseconds deadline,
                   std::function<void()> idle);

  /// Starts the deadline sweep; call once, on the io thread.
  void start();

  /// Stops the sweep; pending requests are answered `shutting_down`.
  void stop();

  /// Queues `r` for the router; the outcome goes to
  /// `owner->complete(slot, ...)`. Keeps `owner` alive until then, at most
  /// for the request deadline. Io thread only.
  void submit(const actors::rating& r, std::shared_ptr<session> owner,
              uint64_t slot);

  /// Requests submitted and not answered yet. Io thread only.
  size_t pending() const noexcept { return pending_; }

  uint16_t submitter() const noexcept override { return id_; }

  /// Called on a CAF thread.
  void deliver(std::vector<actors::rating_outcome> outcomes) override;

private:
  struct entry {
    std::shared_ptr<session> owner;
    uint64_t slot = 0;
    int32_t movie = 0;
    clock::time_point expires;
    bool answered = false;
  };

  void flush();
  void complete(const std::vector<actors::rating_outcome>& outcomes);
  void answer(entry& e, actors::outcome result);
  void sweep();
  void schedule_sweep();

  uint16_t id_;
  boost::asio::io_context& ioc_;
  actors::router_actor router_;
  persistence::movie_catalog& catalog_;
  std::chrono::nanoseconds deadline_;
  std::chrono::nanoseconds sweep_period_;
  /// Entry of sequence number `first_seq_ + i` at index i; sequence numbers
  /// grow with submission, so expiry times do too.
  std::deque<entry> entries_;
  uint64_t first_seq_ = 0;
  size_t pending_ = 0;
  std::function<void()> idle_;
  std::vector<actors::rating_command> outbox_;
  bool flush_posted_ = false;
  bool stopped_ = false;
  boost::asio::steady_timer sweep_timer_;
};

} // namespace heymovie::http
