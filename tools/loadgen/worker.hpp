// One event-loop thread of a run: an io_context, the clients it drives, and
// what they saw (statistics and the record buffer), touched by that thread
// only. A sweep every few milliseconds enforces the clients' deadlines, so a
// request costs no timer of its own.

#pragma once

#include "loadgen/client.hpp"
#include "loadgen/recorder.hpp"
#include "loadgen/run_stats.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

namespace heymovie::loadgen {

class worker final : private client_events {
public:
  worker(const client_setup& setup, record_file* record,
         bool per_second_latency);

  /// Before run() only.
  void add_client(std::unique_ptr<request_source> source);

  /// Drives the clients on the calling thread until every one is done, then
  /// calls `done` (on that thread) and flushes the record buffer.
  void run(std::function<void()> done);

  /// Any thread: no new requests; those in flight finish.
  void stop();

  /// Any thread: give up the requests in flight too.
  void abort();

  /// After run() returned.
  const run_stats& stats() const { return stats_; }

  /// Any thread: progress so far.
  uint64_t finished() const {
    return finished_.load(std::memory_order_relaxed);
  }
  uint64_t acknowledged() const { return ok_.load(std::memory_order_relaxed); }

private:
  void on_request_done(const rating& r, int status,
                       steady_clock::time_point started,
                       steady_clock::time_point now) override;
  void on_failure(failure_kind kind) override;
  void on_client_done() override;
  void sweep();

  boost::asio::io_context ioc_{1};
  const client_setup& setup_;
  boost::asio::steady_timer sweep_timer_;
  std::chrono::nanoseconds sweep_interval_;
  std::vector<std::unique_ptr<client>> clients_;
  size_t running_ = 0;
  std::function<void()> done_;
  run_stats stats_;
  recorder recorder_;
  std::atomic<uint64_t> finished_{0};
  std::atomic<uint64_t> ok_{0};
};

} // namespace heymovie::loadgen
