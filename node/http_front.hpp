// What standalone and gateway nodes share: the movie catalogue (read at
// start-up, refreshed by an actor), the reader pool, the router in front of
// the rating shards, and the HTTP server. Whether the shards are local or on
// shard nodes is the node's business: the front routes to the positions it
// is given.

#pragma once

#include "actors/messages.hpp"
#include "actors/pipeline_health.hpp"
#include "config/settings.hpp"
#include "http/server.hpp"
#include "persistence/movie_catalog.hpp"
#include "persistence/read_queries.hpp"

#include <caf/actor_system.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace heymovie::node {

class http_front {
public:
  /// `shards`: the router's shard positions (a gateway's start empty and are
  /// filled by its links to shard nodes); `storage`: the readers'; `access`:
  /// who may do what.
  http_front(caf::actor_system& sys, const config::settings& s,
             std::vector<int32_t> movie_ids,
             std::vector<actors::rating_shard_actor> shards,
             persistence::read_queries_factory storage,
             const http::access_settings& access);

  const actors::router_actor& router() const noexcept { return router_; }

  /// Listens on `http.address:http.port` and returns the bound port; nothing
  /// (after saying why in the log) when it cannot, e.g. the port is taken.
  std::optional<uint16_t> start();

  /// Stops accepting and reading requests and answers every accepted one,
  /// which the local shards send to the database without lingering; gives
  /// up after `grace`.
  void drain(std::chrono::nanoseconds grace);

  /// Stops the server and ends the router, the readers and the refresher.
  void stop();

private:
  const config::settings& settings_;
  std::shared_ptr<persistence::movie_catalog> catalog_;
  actors::reader_pool_actor readers_;
  actors::catalog_refresher_actor refresher_;
  actors::pipeline_health_ptr health_;
  actors::router_actor router_;
  http::server server_;
};

} // namespace heymovie::node
