// log.format=json: each log line one JSON object, for log shippers that
// parse rather than guess: {"time": "<UTC, ISO 8601, ms>", "level": "info",
// "message": "..."}, with "logger" when the line has a named logger.

#pragma once

#include <spdlog/formatter.h>

#include <memory>

namespace heymovie::observability {

class json_log_formatter final : public spdlog::formatter {
public:
  void format(const spdlog::details::log_msg& msg,
              spdlog::memory_buf_t& dest) override;
  std::unique_ptr<spdlog::formatter> clone() const override;
};

} // namespace heymovie::observability
