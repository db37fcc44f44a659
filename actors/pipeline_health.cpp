#include "actors/pipeline_health.hpp"

namespace heymovie::actors {

pipeline_health::pipeline_health(uint32_t available) noexcept
    : counts_(uint64_t{available} << 32) {}

void pipeline_health::update(uint32_t available, uint32_t saturated) noexcept {
  counts_.store((uint64_t{available} << 32) | saturated,
                std::memory_order_relaxed);
}

std::string pipeline_health::not_ready_reason() const {
  auto counts = counts_.load(std::memory_order_relaxed);
  auto available = static_cast<uint32_t>(counts >> 32);
  auto saturated = static_cast<uint32_t>(counts);
  if (available == 0)
    return "no shard is reachable";
  if (saturated >= available)
    return "every shard is saturated";
  return {};
}

} // namespace heymovie::actors
