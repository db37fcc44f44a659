#include "actors/pipeline_health.hpp"

#include <catch2/catch.hpp>

using heymovie::actors::pipeline_health;

TEST_CASE("the pipeline is ready while some reachable shard has room",
          "[actors]") {
  pipeline_health health;
  CHECK(health.not_ready_reason() == "no shard is reachable");
  health.update(4, 0);
  CHECK(health.not_ready_reason().empty());
  health.update(4, 3);
  CHECK(health.not_ready_reason().empty());
  health.update(4, 4);
  CHECK(health.not_ready_reason() == "every shard is saturated");
  health.update(2, 2);
  CHECK(health.not_ready_reason() == "every shard is saturated");
  health.update(0, 0);
  CHECK(health.not_ready_reason() == "no shard is reachable");
}

TEST_CASE("the pipeline starts as ready as the shards it is given",
          "[actors]") {
  // The router publishes only once it first runs; until then its shards
  // are as its start will say.
  CHECK(pipeline_health{2}.not_ready_reason().empty());
  CHECK(pipeline_health{0}.not_ready_reason() == "no shard is reachable");
}
