#include "observability/process_metrics.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <unistd.h>

namespace heymovie::observability {

namespace {

prometheus::MetricFamily one(std::string name, std::string help,
                             prometheus::MetricType type, double value) {
  prometheus::ClientMetric metric;
  if (type == prometheus::MetricType::Counter)
    metric.counter.value = value;
  else
    metric.gauge.value = value;
  return {std::move(name), std::move(help), type, {metric}};
}

/// The fields of /proc/self/stat after the command name, which may itself
/// hold spaces and parentheses: the first one is field 3 of proc(5).
std::vector<std::string> stat_fields() {
  std::ifstream in{"/proc/self/stat"};
  std::string line;
  std::getline(in, line);
  auto end_of_name = line.rfind(')');
  if (end_of_name == std::string::npos)
    return {};
  std::istringstream rest{line.substr(end_of_name + 1)};
  return {std::istream_iterator<std::string>{rest}, {}};
}

/// Seconds since the epoch at which the machine booted (btime of /proc/stat).
double boot_time() {
  std::ifstream in{"/proc/stat"};
  std::string key;
  while (in >> key) {
    if (key == "btime") {
      double seconds = 0;
      in >> seconds;
      return seconds;
    }
    in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  }
  return 0;
}

/// Nothing when /proc/self/fd cannot be read (out of descriptors, the very
/// case to see): a 0 would look like none open.
std::optional<double> open_descriptors() {
  std::error_code ec;
  auto entries = std::filesystem::directory_iterator{"/proc/self/fd", ec};
  if (ec)
    return std::nullopt;
  // Less the one that reads the directory.
  return static_cast<double>(std::distance(entries, decltype(entries){})) - 1;
}

} // namespace

std::vector<prometheus::MetricFamily> process_metric_families() {
  using prometheus::MetricType;
  auto fields = stat_fields();
  if (fields.size() < 22)
    return {};
  // proc(5) fields 14, 15 (user and system CPU, in clock ticks), 22 (start,
  // ticks after boot), 23 (virtual bytes), 24 (resident pages).
  auto field = [&](size_t number) {
    return std::stod(fields[number - 3]);
  };
  double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  rlimit files{};
  getrlimit(RLIMIT_NOFILE, &files);
  std::vector<prometheus::MetricFamily> families{
      one("process_cpu_seconds_total",
          "Total user and system CPU time spent in seconds.",
          MetricType::Counter, (field(14) + field(15)) / ticks),
      one("process_max_fds", "Maximum number of open file descriptors.",
          MetricType::Gauge, static_cast<double>(files.rlim_cur)),
      one("process_virtual_memory_bytes", "Virtual memory size in bytes.",
          MetricType::Gauge, field(23)),
      one("process_resident_memory_bytes", "Resident memory size in bytes.",
          MetricType::Gauge, field(24) * page),
      one("process_start_time_seconds",
          "Start time of the process since unix epoch in seconds.",
          MetricType::Gauge, boot_time() + field(22) / ticks),
  };
  if (auto open = open_descriptors())
    families.push_back(one("process_open_fds",
                           "Number of open file descriptors.",
                           MetricType::Gauge, *open));
  return families;
}

} // namespace heymovie::observability
