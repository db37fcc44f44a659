// The write side of the rating pipeline on one node: the DB-writer pool and
// the rating shards that hand it their batches. Standalone and shard nodes
// run one.

#pragma once

#include "actors/messages.hpp"
#include "config/settings.hpp"
#include "persistence/batch_writer.hpp"

#include <caf/actor_system.hpp>

#include <chrono>
#include <vector>

namespace heymovie::node {

class write_pipeline {
public:
  /// Spawns `pipeline.shards` shards and `db.writers` writers on `storage`.
  write_pipeline(caf::actor_system& sys, const config::settings& s,
                 persistence::batch_writer_factory storage);

  const std::vector<actors::rating_shard_actor>& shards() const noexcept {
    return shards_;
  }

  /// Closes the shards (they refuse new ratings from now on) and waits until
  /// every rating they accepted has its outcome, for at most `grace`; whether
  /// all did.
  bool close(std::chrono::nanoseconds grace);

  /// Ends the shards and the writers.
  void stop();

private:
  caf::actor_system& sys_;
  actors::writer_pool_actor pool_;
  std::vector<actors::rating_shard_actor> shards_;
};

} // namespace heymovie::node
