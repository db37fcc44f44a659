// The router: the entry of the rating pipeline. It maps each user to the
// shard that owns them, admits a request only while that shard has room
// (otherwise it is answered `shard_full` at once, without a message to the
// shard), and hands the shards' outcomes back to the submitters' sinks. In a
// gateway the shards live on shard nodes: a shard whose node is unreachable
// answers `shard_down` at once, and comes back when its node does.

#pragma once

#include "actors/messages.hpp"
#include "actors/pipeline_health.hpp"
#include "observability/service_metrics.hpp"

#include <caf/typed_event_based_actor.hpp>

#include <unordered_map>
#include <vector>

namespace heymovie::actors {

class router_state {
public:
  static inline const char* name = "router";

  using pointer = router_actor::stateful_pointer<router_state>;

  explicit router_state(pointer self);

  /// `shards` may hold invalid handles: positions whose shards a link to a
  /// shard node installs later. `health` learns every change of the shards'
  /// presence and saturation.
  router_actor::behavior_type
  make_behavior(std::vector<rating_shard_actor> shards, size_t mailbox_limit,
                pipeline_health_ptr health);

private:
  void submit(std::vector<rating_command>& commands,
              const outcome_sink_ptr& sink);
  void deliver(std::vector<rating_outcome>& outcomes);
  void install(uint32_t first, std::vector<rating_shard_actor>& shards);
  void on_shard_down(const caf::down_msg& msg);
  void publish_load(size_t shard);
  void refuse(std::vector<rating_command>& commands,
              const outcome_sink_ptr& sink, outcome why);

  pointer self_;
  std::vector<rating_shard_actor> shards_;
  /// Shard position by actor address, to credit outcomes to their shard.
  std::unordered_map<caf::actor_addr, size_t> positions_;
  size_t mailbox_limit_ = 0;
  /// Requests sent to each shard and not answered yet.
  std::vector<uint32_t> pending_;
  std::unordered_map<uint16_t, outcome_sink_ptr> sinks_;
  /// The metrics gauge of each shard's pending count.
  std::vector<prometheus::Gauge*> pending_gauges_;
  pipeline_health_ptr health_;
};

/// Spawn with `sys.spawn(router, shards, mailbox_limit, health)`.
router_actor::behavior_type router(router_state::pointer self,
                                   std::vector<rating_shard_actor> shards,
                                   size_t mailbox_limit,
                                   pipeline_health_ptr health);

} // namespace heymovie::actors
