#include "actors/shard_node_link.hpp"

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/io/middleman.hpp>
#include <caf/openssl/manager.hpp>
#include <caf/system_messages.hpp>
#include <spdlog/spdlog.h>

namespace heymovie::actors {

using namespace std::chrono_literals;

shard_node_link_state::shard_node_link_state(pointer self) : self_(self) {
  // nop
}

shard_node_link_actor::behavior_type
shard_node_link_state::make_behavior(shard_node_address node,
                                     router_actor router) {
  node_ = std::move(node);
  router_ = std::move(router);
  self_->set_down_handler([this](caf::down_msg& msg) {
    if (msg.source != remote_.address())
      return;
    remote_ = nullptr;
    spdlog::warn("{}: shard node {} went away ({})", name, where(),
                 self_->system().render(msg.reason));
    reported_failure_ = false;
    retry_later("it went away");
  });
  connect();
  return {
      [this](retry_atom) { connect(); },
  };
}

std::string shard_node_link_state::where() const {
  return node_.host + ":" + std::to_string(node_.port);
}

void shard_node_link_state::connect() {
  if (remote_)
    return;
  auto mm = node_.tls ? self_->system().openssl_manager().actor_handle()
                      : self_->system().middleman().actor_handle();
  self_->request(mm, 2s, caf::connect_atom::value, node_.host, node_.port)
      .then(
          [this](const caf::node_id&, caf::strong_actor_ptr& ptr,
                 const std::set<std::string>& interface) {
            if (!ptr) {
              retry_later("no actor published there");
              return;
            }
            if (!self_->system().assignable<shard_node_actor>(interface)) {
              retry_later("what is published there is not a shard node");
              return;
            }
            remote_ = caf::actor_cast<shard_node_actor>(std::move(ptr));
            self_->monitor(remote_);
            fetch_shards();
          },
          [this](caf::error& err) {
            retry_later(self_->system().render(err));
          });
}

void shard_node_link_state::fetch_shards() {
  self_->request(remote_, 2s, shards_atom::value)
      .then(
          [this](std::vector<rating_shard_actor>& shards) {
            if (shards.size() != node_.shards_per_node) {
              spdlog::error(
                  "{}: shard node {} has {} shards, this gateway expects "
                  "{} (pipeline.shards must be the same everywhere)",
                  name, where(), shards.size(), node_.shards_per_node);
              return;
            }
            auto first =
                static_cast<uint32_t>(node_.index * node_.shards_per_node);
            self_->send(router_, shards_atom::value, first, std::move(shards));
            spdlog::info("{}: connected to shard node {}", name, where());
            reported_failure_ = false;
          },
          [this](caf::error& err) {
            remote_ = nullptr;
            retry_later(self_->system().render(err));
          });
}

void shard_node_link_state::retry_later(const std::string& why) {
  // Say it once per outage, not every half second.
  if (!reported_failure_) {
    spdlog::warn("{}: cannot reach shard node {}: {}; retrying every {} ms",
                 name, where(), why,
                 std::chrono::duration_cast<std::chrono::milliseconds>(
                     node_.reconnect_interval)
                     .count());
    reported_failure_ = true;
  }
  self_->delayed_send(self_, node_.reconnect_interval, retry_atom::value);
}

shard_node_link_actor::behavior_type
shard_node_link(shard_node_link_state::pointer self, shard_node_address node,
                router_actor router) {
  return self->state.make_behavior(std::move(node), std::move(router));
}

} // namespace heymovie::actors
