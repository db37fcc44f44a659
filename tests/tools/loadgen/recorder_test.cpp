// The record of a run: one line per request, read back by `loadgen verify`.

#include "loadgen/recorder.hpp"
#include "make_rating.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace heymovie::loadgen;

TEST_CASE("record lines round-trip with or without timestamp", "[loadgen]") {
  std::string lines;
  append_record_line(make_rating(5, 6, 7, 123), 201, lines);
  append_record_line(make_rating(5, 6, 8), 0, lines);
  CHECK(lines == "5,6,7,123,201\n5,6,8,,0\n");
  std::string error;
  auto with = parse_record_line("5,6,7,123,201", error);
  REQUIRE(with);
  CHECK(with->what.timestamp == 123);
  CHECK(with->status == 201);
  auto without = parse_record_line("5,6,8,,0\r", error);
  REQUIRE(without);
  CHECK_FALSE(without->what.has_timestamp());
  CHECK(without->status == 0);
  CHECK_FALSE(parse_record_line("5,6,11,,201", error));
  CHECK_FALSE(parse_record_line("5,6,7,201", error));
  CHECK_FALSE(parse_record_line("5,6,7,,", error));
}
