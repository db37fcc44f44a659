// The rating pipeline's actors (router, shards, writer pool and its DB
// writers) on a private actor system, on any storage, wired as a node wires
// them and driven through the router's interface as the HTTP layer drives
// it; the outcomes are collected as a submitter would receive them.

#pragma once

#include "actors/messages.hpp"
#include "actors/pipeline_health.hpp"
#include "config/settings.hpp"
#include "node/write_pipeline.hpp"
#include "persistence/batch_writer.hpp"
#include "support/test_system_config.hpp"

#include <caf/actor_system.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

namespace heymovie::testing {

/// Collects outcomes as the HTTP layer's submitters receive them.
class outcome_collector : public actors::outcome_sink {
public:
  /// The submitter id of every ticket in these tests.
  static constexpr uint16_t id = 3;

  uint16_t submitter() const noexcept override { return id; }

  void deliver(std::vector<actors::rating_outcome> outcomes) override;

  /// Waits until `n` outcomes have arrived (fails the test after 20 s).
  std::vector<actors::rating_outcome> wait_for(size_t n);

  size_t count();

private:
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<actors::rating_outcome> received_;
};

struct pipeline_options {
  size_t shards = 4;
  size_t mailbox_limit = 1000;
  size_t batch_size = 100;
  size_t writers = 1;
  std::chrono::nanoseconds give_up_after = std::chrono::seconds{5};
};

class actor_pipeline {
public:
  actor_pipeline(persistence::batch_writer_factory storage,
                 pipeline_options options = {});
  ~actor_pipeline();

  actor_pipeline(const actor_pipeline&) = delete;
  actor_pipeline& operator=(const actor_pipeline&) = delete;

  /// Sends the commands to the router in one message, as one turn of an
  /// HTTP thread's event loop does.
  void submit(std::vector<actors::rating_command> commands);

  /// What a shard node that is going away does: the shards refuse new
  /// ratings; returns whether they all had written what they accepted
  /// within `grace`.
  bool close_shards(std::chrono::nanoseconds grace = std::chrono::seconds{10});

  const actors::pipeline_health& health() const { return *health_; }

  std::shared_ptr<outcome_collector> outcomes =
      std::make_shared<outcome_collector>();

private:
  test_system_config cfg_;
  config::settings settings_;
  caf::actor_system sys_;
  node::write_pipeline writes_;
  actors::pipeline_health_ptr health_ =
      std::make_shared<actors::pipeline_health>();
  actors::router_actor router_;
};

/// The command for request `seq` of the collector's submitter.
actors::rating_command command(uint64_t seq, int32_t user, int32_t movie,
                               uint8_t half_stars);

/// How many of `all` are `which`.
size_t count_of(const std::vector<actors::rating_outcome>& all,
                actors::outcome which);

/// The outcome of request `seq` among `all`; fails the test if it is not
/// there.
actors::outcome outcome_of(const std::vector<actors::rating_outcome>& all,
                           uint64_t seq);

} // namespace heymovie::testing
