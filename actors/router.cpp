#include "actors/router.hpp"

#include "actors/user_sharding.hpp"
#include "observability/log_throttle.hpp"
#include "observability/service_metrics.hpp"

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
                            size_t mailbox_limit) {
  shards_ = std::move(shards);
  mailbox_limit_ = mailbox_limit;
  pending_.assign(shards_.size(), 0);
  auto& metrics = observability::service_metrics::instance();
  metrics.shards.set(static_cast<int64_t>(shards_.size()));
  for (size_t i = 0; i < shards_.size(); ++i) {
    pending_gauges_.push_back(&metrics.shard_pending.with({std::to_string(i)}));
    pending_gauges_.back()->set(0);
  }
  return {
      [this](submit_atom, std::vector<rating_command>& commands,
             const outcome_sink_ptr& sink) { submit(commands, sink); },
      [this](outcome_atom, uint32_t shard,
             std::vector<rating_outcome>& outcomes) {
        deliver(shard, outcomes);
      },
      [this](load_atom) { return load(); },
      [this](drain_atom) {
        draining_ = true;
        for (auto& shard : shards_)
          self_->send(shard, drain_atom::value);
      },
  };
}

void router_state::submit(std::vector<rating_command>& commands,
                          const outcome_sink_ptr& sink) {
  if (!sink)
    return;
  sinks_.try_emplace(sink->submitter(), sink);
  if (draining_) {
    refuse(commands, sink, outcome::shutting_down);
    return;
  }
  std::vector<rating_command> full;
  std::vector<std::vector<rating_command>> per_shard(shards_.size());
  for (auto& cmd : commands) {
    auto shard = shard_of_user(cmd.value.user, shards_.size());
    if (pending_[shard] >= mailbox_limit_) {
      full.push_back(cmd);
      continue;
    }
    ++pending_[shard];
    per_shard[shard].push_back(cmd);
  }
  for (size_t i = 0; i < per_shard.size(); ++i) {
    if (per_shard[i].empty())
      continue;
    self_->send(shards_[i], rate_atom::value, std::move(per_shard[i]));
    publish_load(i);
  }
  if (!full.empty())
    refuse(full, sink, outcome::shard_full);
}

void router_state::refuse(std::vector<rating_command>& commands,
                          const outcome_sink_ptr& sink, outcome why) {
  std::vector<rating_outcome> refused;
  refused.reserve(commands.size());
  for (auto& cmd : commands)
    refused.push_back({cmd.id, why});
  auto cause = why == outcome::shard_full ? "shard_full" : "shutting_down";
  observability::service_metrics::instance().rejections.with({cause}).add(
      refused.size());
  refusals.log(spdlog::level::warn,
               std::to_string(refused.size()) + " rating(s) refused: " + cause);
  sink->deliver(std::move(refused));
}

void router_state::publish_load(size_t shard) {
  pending_gauges_[shard]->set(pending_[shard]);
  size_t saturated = 0;
  for (auto pending : pending_)
    saturated += pending >= mailbox_limit_;
  if (saturated != saturated_) {
    saturated_ = saturated;
    observability::service_metrics::instance().saturated_shards.set(
        static_cast<int64_t>(saturated));
  }
}

void router_state::deliver(uint32_t shard,
                           std::vector<rating_outcome>& outcomes) {
  if (outcomes.empty())
    return;
  if (shard < pending_.size()) {
    auto n = static_cast<uint32_t>(outcomes.size());
    pending_[shard] -= std::min(pending_[shard], n);
    publish_load(shard);
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

std::vector<shard_load> router_state::load() const {
  std::vector<shard_load> result;
  for (auto pending : pending_)
    result.push_back({pending, static_cast<uint32_t>(mailbox_limit_)});
  return result;
}

router_actor::behavior_type router(router_state::pointer self,
                                   std::vector<rating_shard_actor> shards,
                                   size_t mailbox_limit) {
  return self->state.make_behavior(std::move(shards), mailbox_limit);
}

} // namespace heymovie::actors
