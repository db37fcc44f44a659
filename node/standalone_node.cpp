#include "node/standalone_node.hpp"

#include "node/storage.hpp"

#include <spdlog/spdlog.h>

namespace heymovie::node {

standalone_node::standalone_node(config::service_config& cfg,
                                 std::vector<int32_t> movie_ids,
                                 const http::access_settings& access)
    : node(cfg), writes_(sys_, settings_, postgres_batch_writers(settings_)),
      front_(sys_, settings_, std::move(movie_ids), writes_.shards(),
             postgres_readers(settings_), access) {
  // nop
}

bool standalone_node::start_role() {
  auto port = front_.start();
  if (!port)
    return false;
  spdlog::info("standalone listening on {}:{} ({} shards, {} writers, {} http "
               "threads)",
               settings_.http.address, *port, writes_.shards().size(),
               settings_.db.writers, settings_.http.threads);
  return true;
}

void standalone_node::drain() {
  front_.drain(drain_grace());
}

void standalone_node::end_actors() {
  front_.stop();
  writes_.stop();
}

} // namespace heymovie::node
