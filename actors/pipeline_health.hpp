// Whether the rating pipeline can take requests, as the router last saw it:
// the router writes it (on a CAF thread) whenever a shard's load or presence
// changes, the HTTP threads read it to answer /readyz. Lock-free, so readers
// never wait for the router.

#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

namespace heymovie::actors {

class pipeline_health {
public:
  /// Starts as the router will: `available` shards, none saturated. The
  /// router publishes on its first run on a CAF thread, which may come after
  /// the HTTP listener has answered its first /readyz.
  explicit pipeline_health(uint32_t available = 0) noexcept;

  /// `available`: shards that can be reached; `saturated`: of those, shards
  /// at their pending limit.
  void update(uint32_t available, uint32_t saturated) noexcept;

  /// Empty when requests can be taken; otherwise why not, for /readyz.
  std::string not_ready_reason() const;

private:
  // One word, so that a reader never sees one count new and the other old.
  std::atomic<uint64_t> counts_;
};

using pipeline_health_ptr = std::shared_ptr<pipeline_health>;

} // namespace heymovie::actors
