// The actor system configuration of tests that run actors.

#pragma once

#include <caf/actor_system_config.hpp>

namespace heymovie::testing {

/// Two scheduler threads: enough for a test's few actors, and some overlap.
struct test_system_config : caf::actor_system_config {
  test_system_config() { set("scheduler.max-threads", size_t{2}); }
};

} // namespace heymovie::testing
