// What each connection sends. A workload is split into one request source
// per connection up front: user u belongs to connection u % connections, so
// a user's requests leave one connection, one at a time, in order, and no
// connection ever waits on another's source (no locks between threads).

#pragma once

#include "loadgen/rating.hpp"
#include "loadgen/run_options.hpp"
#include "loadgen/zipf_sampler.hpp"

#include <cstdint>
#include <memory>
#include <random>
#include <utility>
#include <vector>

namespace heymovie::loadgen {

/// A request and its place in the run: the open loop sends request `index`
/// at t0 + index / rate (replays: the line's position in the file).
struct planned_request {
  rating what;
  uint64_t index = 0;
};

/// The requests of one connection, in the order it sends them.
class request_source {
public:
  virtual ~request_source() = default;

  /// The next request; false when this connection has no more.
  virtual bool next(planned_request& out) = 0;
};

/// A connection's share of a replayed file, in file order.
class replay_source final : public request_source {
public:
  explicit replay_source(std::vector<planned_request> requests)
      : requests_(std::move(requests)) {}

  bool next(planned_request& out) override;

private:
  std::vector<planned_request> requests_;
  size_t next_ = 0;
};

/// What all synthetic sources of a run share (read-only).
struct synthetic_catalogue {
  std::vector<int32_t> movies; // rank order: the file's order
  zipf_sampler popularity;
  int32_t users = 0;
  double rerate = 0;
  uint64_t count = 0;
  bool timestamps = false;
};

/// Random ratings by the users u in 1..users with u % connections ==
/// connection; request indices connection, connection + connections, ...
/// below the run's count.
class synthetic_source final : public request_source {
public:
  synthetic_source(std::shared_ptr<const synthetic_catalogue> catalogue,
                   uint64_t seed, size_t connection, size_t connections);

  bool next(planned_request& out) override;

private:
  rating fresh_pair();
  rating earlier_pair();
  void remember(const rating& r);

  std::shared_ptr<const synthetic_catalogue> catalogue_;
  std::mt19937_64 random_;
  uint64_t next_index_;
  uint64_t step_;
  int32_t first_user_;
  uint64_t user_slots_;                           // users of this connection
  std::vector<std::pair<int32_t, int32_t>> sent_; // for re-rating
  size_t sent_capacity_;
};

/// One source per connection for the run's workload; reads the files.
/// Throws std::runtime_error when a file is missing or malformed.
std::vector<std::unique_ptr<request_source>>
make_sources(const run_options& options);

} // namespace heymovie::loadgen
