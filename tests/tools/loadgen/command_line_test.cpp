// Command lines checked against a table of options.

#include "loadgen/command_line.hpp"

#include <catch2/catch.hpp>

#include <vector>

using namespace heymovie::loadgen;

TEST_CASE("command lines refuse what their table does not list", "[loadgen]") {
  std::vector<option_spec> table = {{"count", "N", ""}, {"fast", "", ""}};
  CHECK_THROWS_WITH((command_line{{"--speed=1"}, table}),
                    Catch::Contains("unrecognised option '--speed=1'"));
  CHECK_THROWS_WITH((command_line{{"--count"}, table}),
                    Catch::Contains("'--count' is missing"));
  CHECK_THROWS_WITH((command_line{{"count=1"}, table}),
                    Catch::Contains("positional"));
  CHECK_THROWS_WITH((command_line{{"--count=1", "--count=2"}, table}),
                    Catch::Contains("more than once"));
  command_line args{{"--count=12", "--fast"}, table};
  CHECK(args.integer("count", 0, 1, 100) == 12);
  CHECK(args.flag("fast"));
  CHECK_THROWS_WITH(args.integer("count", 0, 1, 10), Catch::Contains("1..10"));
  CHECK(command_line{{"--count", "7"}, table}.integer("count", 0, 1, 10) == 7);
  CHECK_FALSE(command_line{{"--fast=false"}, table}.flag("fast"));
  CHECK_FALSE(command_line{{}, table}.flag("fast"));
  command_line yes{{"--fast=yes"}, table};
  CHECK_THROWS_WITH(yes.flag("fast"), Catch::Contains("is a flag"));
}
