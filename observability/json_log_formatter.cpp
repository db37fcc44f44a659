#include "observability/json_log_formatter.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>
#include <string>

namespace heymovie::observability {

namespace {

std::string utc_time(spdlog::log_clock::time_point at) {
  auto since_epoch = at.time_since_epoch();
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch) -
      seconds;
  std::time_t t = seconds.count();
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                tm.tm_min, tm.tm_sec, static_cast<int>(millis.count()));
  return text;
}

} // namespace

void json_log_formatter::format(const spdlog::details::log_msg& msg,
                                spdlog::memory_buf_t& dest) {
  auto level = spdlog::level::to_string_view(msg.level);
  nlohmann::ordered_json line{
      {"time", utc_time(msg.time)},
      {"level", std::string{level.data(), level.size()}},
      {"message", std::string{msg.payload.data(), msg.payload.size()}}};
  if (msg.logger_name.size() > 0)
    line["logger"] =
        std::string{msg.logger_name.data(), msg.logger_name.size()};
  // Bytes that are not UTF-8 (a client's, quoted in a warning) become U+FFFD
  // rather than an exception in the logger.
  auto text =
      line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text += '\n';
  dest.append(text.data(), text.data() + text.size());
}

std::unique_ptr<spdlog::formatter> json_log_formatter::clone() const {
  return std::make_unique<json_log_formatter>();
}

} // namespace heymovie::observability
