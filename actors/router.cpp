#include "actors/router.hpp"

#include "actors/user_sharding.hpp"
#include "observability/log_throttle.hpp"
#include "observability/service_metrics.hpp"

#include <caf/system_messages.hpp>

#include <algorithm>

namespace heymovie::actors {

namespace {

/// Under overload refusals come by the thousand: one log line per interval.
observability::log_throttle refusals;

} // namespace

router_state::router_state(pointer self) : self_(self) {
  // nop
}

router_actor::behavior_type
router_state::make_behavior(std::vector<rating_shard_actor> shards,
                            size_t mailbox_limit, pipeline_health_ptr health) {
  mailbox_limit_ = mailbox_limit;
  health_ = std::move(health);
  pending_.assign(shards.size(), 0);
  shards_.resize(shards.size());
  auto& metrics = observability::service_metrics::instance();
  metrics.shards.Set(static_cast<double>(shards.size()));
  for (size_t i = 0; i < shards.size(); ++i) {
    pending_gauges_.push_back(&metrics.shard_pending(std::to_string(i)));
    pending_gauges_.back()->Set(0);
  }
  install(0, shards);
  self_->set_down_handler([this](caf::down_msg& msg) { on_shard_down(msg); });
  return {
      [this](submit_atom, std::vector<rating_command>& commands,
             const outcome_sink_ptr& sink) { submit(commands, sink); },
      [this](outcome_atom, uint32_t, std::vector<rating_outcome>& outcomes) {
        deliver(outcomes);
      },
      [this](shards_atom, uint32_t first,
             std::vector<rating_shard_actor>& shards) {
        install(first, shards);
      },
      [this](drain_atom) {
        // The HTTP layer has stopped reading new requests: what arrives now
        // was accepted before, and goes to the database without lingering.
        // Only local shards: other gateways share a shard node's.
        for (auto& shard : shards_)
          if (shard && shard.node() == self_->node())
            self_->send(shard, drain_atom::value);
      },
  };
}

void router_state::install(uint32_t first,
                           std::vector<rating_shard_actor>& shards) {
  for (size_t i = 0; i < shards.size() && first + i < shards_.size(); ++i) {
    auto pos = first + i;
    if (!shards[i] || shards_[pos] == shards[i])
      continue;
    if (shards_[pos])
      positions_.erase(shards_[pos].address());
    shards_[pos] = std::move(shards[i]);
    positions_[shards_[pos].address()] = pos;
    pending_[pos] = 0;
    self_->monitor(shards_[pos]);
    publish_load(pos);
  }
}

void router_state::on_shard_down(const caf::down_msg& msg) {
  auto i = positions_.find(msg.source);
  if (i == positions_.end())
    return;
  auto pos = i->second;
  positions_.erase(i);
  shards_[pos] = nullptr;
  // Its requests in flight end at their deadline, answered by the HTTP layer.
  pending_[pos] = 0;
  publish_load(pos);
  refusals.log(spdlog::level::warn,
               "shard " + std::to_string(pos) +
                   " is unreachable: " + self_->system().render(msg.reason));
}

void router_state::submit(std::vector<rating_command>& commands,
                          const outcome_sink_ptr& sink) {
  if (!sink)
    return;
  sinks_.try_emplace(sink->submitter(), sink);
  std::vector<rating_command> full;
  std::vector<rating_command> down;
  std::vector<std::vector<rating_command>> per_shard(shards_.size());
  for (auto& cmd : commands) {
    auto shard = shard_of_user(cmd.value.user, shards_.size());
    if (!shards_[shard])
      down.push_back(cmd);
    else if (pending_[shard] >= mailbox_limit_)
      full.push_back(cmd);
    else {
      ++pending_[shard];
      per_shard[shard].push_back(cmd);
    }
  }
  for (size_t i = 0; i < per_shard.size(); ++i) {
    if (per_shard[i].empty())
      continue;
    self_->send(shards_[i], rate_atom::value, std::move(per_shard[i]));
    publish_load(i);
  }
  if (!full.empty())
    refuse(full, sink, outcome::shard_full);
  if (!down.empty())
    refuse(down, sink, outcome::shard_down);
}

void router_state::refuse(std::vector<rating_command>& commands,
                          const outcome_sink_ptr& sink, outcome why) {
  std::vector<rating_outcome> refused;
  refused.reserve(commands.size());
  for (auto& cmd : commands)
    refused.push_back({cmd.id, why});
  auto cause = why == outcome::shard_full ? "shard_full" : "shard_down";
  observability::service_metrics::instance().rejections(cause).Increment(
      static_cast<double>(refused.size()));
  refusals.log(spdlog::level::warn,
               std::to_string(refused.size()) + " rating(s) refused: " + cause);
  sink->deliver(std::move(refused));
}

void router_state::deliver(std::vector<rating_outcome>& outcomes) {
  if (outcomes.empty())
    return;
  auto sender = caf::actor_cast<caf::actor_addr>(self_->current_sender());
  if (auto i = positions_.find(sender); i != positions_.end()) {
    auto& pending = pending_[i->second];
    pending -= std::min(pending, static_cast<uint32_t>(outcomes.size()));
    publish_load(i->second);
  }
  // Usually all outcomes go to one sink; split them otherwise.
  auto first = submitter_of(outcomes.front().id);
  bool one_sink = std::all_of(outcomes.begin(), outcomes.end(), [&](auto& o) {
    return submitter_of(o.id) == first;
  });
  if (one_sink) {
    if (auto i = sinks_.find(first); i != sinks_.end())
      i->second->deliver(std::move(outcomes));
    return;
  }
  std::unordered_map<uint16_t, std::vector<rating_outcome>> split;
  for (auto& o : outcomes)
    split[submitter_of(o.id)].push_back(o);
  for (auto& [submitter, part] : split)
    if (auto i = sinks_.find(submitter); i != sinks_.end())
      i->second->deliver(std::move(part));
}

void router_state::publish_load(size_t shard) {
  auto& metrics = observability::service_metrics::instance();
  pending_gauges_[shard]->Set(static_cast<double>(pending_[shard]));
  uint32_t saturated = 0;
  uint32_t available = 0;
  for (size_t i = 0; i < shards_.size(); ++i) {
    available += shards_[i] ? 1 : 0;
    saturated += shards_[i] && pending_[i] >= mailbox_limit_ ? 1 : 0;
  }
  health_->update(available, saturated);
  metrics.saturated_shards.Set(saturated);
  metrics.available_shards.Set(available);
}

router_actor::behavior_type router(router_state::pointer self,
                                   std::vector<rating_shard_actor> shards,
                                   size_t mailbox_limit,
                                   pipeline_health_ptr health) {
  return self->state.make_behavior(std::move(shards), mailbox_limit,
                                   std::move(health));
}

} // namespace heymovie::actors
