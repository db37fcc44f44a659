#include "observability/json_log_formatter.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

using heymovie::observability::json_log_formatter;

namespace {

nlohmann::json formatted(const spdlog::details::log_msg& msg) {
  json_log_formatter formatter;
  spdlog::memory_buf_t out;
  formatter.clone()->format(msg, out);
  std::string line{out.data(), out.size()};
  REQUIRE(line.back() == '\n');
  REQUIRE(line.find('\n') == line.size() - 1);
  return nlohmann::json::parse(line);
}

} // namespace

TEST_CASE("a JSON log line is one object with time, level and message",
          "[observability]") {
  // 2026-12-06T16:46:35.312Z
  spdlog::log_clock::time_point at{std::chrono::milliseconds{1796575595312}};
  std::string text = "access: \"POST /rating\" 201\tq\x01 \xff";
  spdlog::details::log_msg msg{at, {}, "", spdlog::level::warn, text};
  auto line = formatted(msg);
  CHECK(line["time"] == "2026-12-06T16:46:35.312Z");
  CHECK(line["level"] == "warning");
  CHECK(line["message"] == "access: \"POST /rating\" 201\tq\x01 \xef\xbf\xbd");
  CHECK_FALSE(line.contains("logger"));
  spdlog::details::log_msg named{at, {}, "cluster", spdlog::level::info, "x"};
  CHECK(formatted(named)["logger"] == "cluster");
}
