// SIGINT and SIGTERM, taken by one waiting thread: blocked in every thread
// from start-up on (so that no CAF, Asio or libpq thread gets them), then
// awaited where the process decides to stop.

#pragma once

#include <signal.h>

namespace heymovie::node {

class stop_signals {
public:
  /// Blocks the signals in this thread and every thread started after it;
  /// construct before any other thread.
  stop_signals();

  /// Blocks until one of them arrives.
  void wait();

private:
  sigset_t set_;
};

} // namespace heymovie::node
