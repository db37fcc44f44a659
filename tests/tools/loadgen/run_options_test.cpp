// The options of a load run: URLs and the checks across options.

#include "loadgen/command_line.hpp"
#include "loadgen/run_options.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace heymovie::loadgen;

TEST_CASE("URLs name an HTTP host and port", "[loadgen]") {
  auto local = parse_url("http://127.0.0.1:18080/");
  REQUIRE(local);
  CHECK(local->host == "127.0.0.1");
  CHECK(local->port == 18080);
  CHECK(parse_url("http://localhost")->port == 80);
  auto v6 = parse_url("http://[::1]:9000");
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(v6->authority() == "[::1]:9000");
  CHECK_FALSE(parse_url("https://127.0.0.1:443"));
  CHECK_FALSE(parse_url("http://127.0.0.1:99999"));
  CHECK_FALSE(parse_url("http://127.0.0.1:8080/rating"));
}

TEST_CASE("run options are checked as a whole", "[loadgen]") {
  auto parse = [](std::vector<std::string_view> args) {
    return parse_run_options(command_line{args, run_option_table()});
  };
  auto synthetic = parse({"--synthetic", "--movies=m.csv", "--rate=500"});
  CHECK(synthetic.workload == workload_kind::synthetic);
  CHECK(synthetic.duration == std::chrono::seconds{10});
  CHECK(synthetic.rate == 500.0);
  CHECK(synthetic.connections == 64);
  auto counted = parse({"--synthetic", "--movies=m.csv", "--count=5"});
  CHECK(counted.count == 5);
  CHECK_FALSE(counted.duration);
  auto replay =
      parse({"--replay=r.csv", "--limit=10", "--threads=4", "--connections=2"});
  CHECK(replay.limit == 10);
  CHECK(replay.threads == 2); // never more threads than connections
  CHECK_FALSE(replay.duration);
  CHECK_THROWS_WITH(parse({"--synthetic"}), Catch::Contains("--movies"));
  CHECK_THROWS_WITH(parse({"--replay=r.csv", "--zipf=2"}),
                    Catch::Contains("--synthetic only"));
  CHECK_THROWS_WITH(parse({"--replay=r.csv", "--synthetic"}),
                    Catch::Contains("either"));
  CHECK_THROWS_WITH(parse({"--replay=r.csv", "--rerate=2"}),
                    Catch::Contains("--rerate"));
}
