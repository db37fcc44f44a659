#include "node/shard_node.hpp"

#include "actors/shard_node.hpp"
#include "node/storage.hpp"

#include <caf/exit_reason.hpp>
#include <caf/io/middleman.hpp>
#include <caf/openssl/manager.hpp>
#include <caf/openssl/publish.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>

namespace heymovie::node {

shard_node::shard_node(config::service_config& cfg)
    : node(cfg), writes_(sys_, settings_, postgres_batch_writers(settings_)),
      front_(sys_.spawn(actors::shard_node, writes_.shards())) {
  // nop
}

caf::io::middleman_actor shard_node::network() {
  return settings_.cluster.tls() ? sys_.openssl_manager().actor_handle()
                                 : sys_.middleman().actor_handle();
}

bool shard_node::start_role() {
  auto& c = settings_.cluster;
  // With TLS only peers with a certificate of the configured CA get in.
  auto port =
      c.tls()
          ? caf::openssl::publish(front_, c.port, c.address.c_str(), true)
          : sys_.middleman().publish(front_, c.port, c.address.c_str(), true);
  if (!port) {
    spdlog::critical("cannot publish on {}:{}: {}", c.address, c.port,
                     sys_.render(port.error()));
    return false;
  }
  port_ = *port;
  spdlog::info("shard node: {} shards, {} writers, published on {}:{}{}",
               writes_.shards().size(), settings_.db.writers, c.address, port_,
               c.tls() ? " (mutual TLS)" : "");
  return true;
}

void shard_node::drain() {
  caf::anon_send(network(), caf::unpublish_atom::value, front_.address(),
                 port_);
  if (writes_.close(drain_grace()))
    spdlog::info("drained: every accepted rating is written");
  else
    spdlog::warn("drain: gave up waiting for pending ratings");
}

void shard_node::end_actors() {
  writes_.stop();
  caf::anon_send_exit(front_, caf::exit_reason::user_shutdown);
  front_ = nullptr;
}

} // namespace heymovie::node
