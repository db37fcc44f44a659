#include "loadgen/summary.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace heymovie::loadgen {

namespace {

double ms(uint64_t us) {
  return static_cast<double>(us) / 1000.0;
}

std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof(text), "%.*f", decimals, value);
  return text;
}

} // namespace

run_summary summarize(const run_stats& stats, std::chrono::nanoseconds elapsed,
                      std::string stopped_by) {
  run_summary out;
  out.requests = stats.requests();
  out.seconds = std::chrono::duration<double>(elapsed).count();
  if (out.seconds > 0) {
    out.rate = static_cast<double>(out.requests) / out.seconds;
    out.ok_rate = static_cast<double>(stats.ok()) / out.seconds;
  }
  auto& by_status = stats.by_status();
  for (size_t code = 0; code < by_status.size(); ++code)
    if (by_status[code] > 0)
      out.status[static_cast<int>(code)] = by_status[code];
  auto& failures = stats.failures();
  for (size_t kind = 0; kind < failures.size(); ++kind)
    if (failures[kind] > 0)
      out.failures[std::string{to_string(static_cast<failure_kind>(kind))}] =
          failures[kind];
  auto& latency = stats.latency();
  out.p50_ms = ms(latency.percentile_us(0.5));
  out.p90_ms = ms(latency.percentile_us(0.9));
  out.p99_ms = ms(latency.percentile_us(0.99));
  out.p999_ms = ms(latency.percentile_us(0.999));
  out.max_ms = ms(latency.max_us());
  out.stopped_by = std::move(stopped_by);
  return out;
}

std::string format_summary(const run_summary& s) {
  std::string out = "requests    " + std::to_string(s.requests) + " in " +
                    fixed(s.seconds, 3) + " s (stopped by " + s.stopped_by +
                    ")\n";
  out += "throughput  " + fixed(s.rate, 1) + " req/s, " + fixed(s.ok_rate, 1) +
         " acknowledged (2xx)/s\n";
  out += "status     ";
  for (auto& [code, count] : s.status)
    out += " " + std::to_string(code) + ": " + std::to_string(count);
  if (s.status.empty())
    out += " -";
  out += "\n";
  if (!s.failures.empty()) {
    out += "no answer  ";
    for (auto& [kind, count] : s.failures)
      out += " " + kind + ": " + std::to_string(count);
    out += "\n";
  }
  out += "latency ms  p50 " + fixed(s.p50_ms, 3) + "  p90 " +
         fixed(s.p90_ms, 3) + "  p99 " + fixed(s.p99_ms, 3) + "  p99.9 " +
         fixed(s.p999_ms, 3) + "  max " + fixed(s.max_ms, 3) + "\n";
  return out;
}

std::string summary_json(const run_summary& s) {
  nlohmann::json status = nlohmann::json::object();
  for (auto& [code, count] : s.status)
    status[std::to_string(code)] = count;
  nlohmann::json failures = nlohmann::json::object();
  for (auto& [kind, count] : s.failures)
    failures[kind] = count;
  nlohmann::json out = {
      {"requests", s.requests},
      {"seconds", s.seconds},
      {"rate", s.rate},
      {"ok_rate", s.ok_rate},
      {"status", status},
      {"failures", failures},
      {"latency_ms",
       {{"p50", s.p50_ms},
        {"p90", s.p90_ms},
        {"p99", s.p99_ms},
        {"p999", s.p999_ms},
        {"max", s.max_ms}}},
      {"stopped_by", s.stopped_by},
  };
  return out.dump(2) + "\n";
}

} // namespace heymovie::loadgen
