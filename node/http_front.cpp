#include "node/http_front.hpp"

#include "actors/catalog_refresher.hpp"
#include "actors/reader_pool.hpp"
#include "actors/router.hpp"

#include <boost/system/system_error.hpp>
#include <caf/exit_reason.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace heymovie::node {

using namespace std::chrono_literals;

namespace {

std::shared_ptr<persistence::movie_catalog>
make_catalog(std::vector<int32_t> ids) {
  auto catalog = std::make_shared<persistence::movie_catalog>(std::move(ids));
  spdlog::info("catalogue: {} movies", catalog->size());
  return catalog;
}

actors::reader_pool_actor
spawn_readers(caf::actor_system& sys, const config::settings& s,
              persistence::read_queries_factory storage) {
  actors::reader_settings reading;
  reading.open = std::move(storage);
  reading.readers = s.db.readers;
  return sys.spawn(actors::reader_pool, std::move(reading));
}

uint32_t reachable(const std::vector<actors::rating_shard_actor>& shards) {
  return static_cast<uint32_t>(
      std::count_if(shards.begin(), shards.end(),
                    [](const auto& shard) { return shard != nullptr; }));
}

} // namespace

http_front::http_front(caf::actor_system& sys, const config::settings& s,
                       std::vector<int32_t> movie_ids,
                       std::vector<actors::rating_shard_actor> shards,
                       persistence::read_queries_factory storage,
                       const http::access_settings& access)
    : settings_(s), catalog_(make_catalog(std::move(movie_ids))),
      readers_(spawn_readers(sys, s, std::move(storage))),
      health_(std::make_shared<actors::pipeline_health>(reachable(shards))),
      router_(sys.spawn(actors::router, std::move(shards),
                        s.pipeline.mailbox_limit, health_)),
      server_(s.http, router_, health_, readers_, *catalog_, s.log.access_log,
              s.cluster.node_name, access) {
  if (s.db.catalog_refresh > 0s)
    refresher_ = sys.spawn(actors::catalog_refresher, catalog_, readers_,
                           s.db.catalog_refresh);
}

std::optional<uint16_t> http_front::start() {
  try {
    return server_.start();
  } catch (const boost::system::system_error& e) {
    spdlog::critical("cannot listen on {}:{}: {}", settings_.http.address,
                     settings_.http.port, e.code().message());
    return std::nullopt;
  }
}

void http_front::drain(std::chrono::nanoseconds grace) {
  // What arrives at the shards from now on was accepted before: no
  // lingering.
  caf::anon_send(router_, actors::drain_atom::value);
  auto started = std::chrono::steady_clock::now();
  if (server_.drain(grace))
    spdlog::info("drained in {} ms",
                 std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - started)
                     .count());
  else
    spdlog::warn("drain: gave up waiting for open requests");
}

void http_front::stop() {
  server_.stop();
  caf::anon_send_exit(router_, caf::exit_reason::user_shutdown);
  if (refresher_)
    caf::anon_send_exit(refresher_, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(readers_, caf::exit_reason::user_shutdown);
  router_ = nullptr;
  refresher_ = nullptr;
  readers_ = nullptr;
}

} // namespace heymovie::node
