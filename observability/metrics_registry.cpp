#include "observability/metrics_registry.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace heymovie::observability {

namespace {

/// Sums are kept in millionths so that they can be atomic integers.
constexpr double micro = 1e6;

std::string number(double x) {
  if (std::isinf(x))
    return x > 0 ? "+Inf" : "-Inf";
  char buf[32];
  // Shortest text that reads back as the same double.
  auto end = std::to_chars(buf, buf + sizeof(buf), x).ptr;
  return std::string(buf, end);
}

std::string escape_label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"')
      out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

/// `{a="x",b="y"}` with an optional extra label, or nothing at all.
std::string label_set(const std::vector<std::string>& names,
                      const std::vector<std::string>& values,
                      const std::string& extra_name = {},
                      const std::string& extra_value = {}) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < values.size(); ++i) {
    out += out.empty() ? "{" : ",";
    out += names[i] + "=\"" + escape_label(values[i]) + "\"";
  }
  if (!extra_name.empty()) {
    out += out.empty() ? "{" : ",";
    out += extra_name + "=\"" + extra_value + "\"";
  }
  if (!out.empty())
    out += "}";
  return out;
}

template<class Family>
void header(std::string& out, const Family& f, const char* type) {
  out += "# HELP " + f.name() + " " + f.help() + "\n";
  out += "# TYPE " + f.name() + " " + type + "\n";
}

} // namespace

histogram::histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
  for (size_t i = 0; i <= bounds_.size(); ++i)
    buckets_[i] = 0;
}

void histogram::observe(double value) noexcept {
  auto i = static_cast<size_t>(
      std::lower_bound(bounds_.begin(), bounds_.end(), value) -
      bounds_.begin());
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_micro_.fetch_add(static_cast<uint64_t>(std::max(0.0, value) * micro),
                       std::memory_order_relaxed);
}

histogram::snapshot histogram::read() const {
  snapshot s;
  s.bounds = bounds_;
  uint64_t running = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(running);
  }
  s.sum =
      static_cast<double>(sum_micro_.load(std::memory_order_relaxed)) / micro;
  return s;
}

std::vector<double> exponential_bounds(double start, double factor,
                                       size_t count) {
  std::vector<double> out;
  for (size_t i = 0; i < count; ++i, start *= factor)
    out.push_back(start);
  return out;
}

family<counter>&
metrics_registry::add_counter(std::string name, std::string help,
                              std::vector<std::string> labels) {
  counters_.push_back(std::make_unique<family<counter>>(
      std::move(name), std::move(help), std::move(labels)));
  order_.emplace_back('c', counters_.size() - 1);
  return *counters_.back();
}

family<gauge>& metrics_registry::add_gauge(std::string name, std::string help,
                                           std::vector<std::string> labels) {
  gauges_.push_back(std::make_unique<family<gauge>>(
      std::move(name), std::move(help), std::move(labels)));
  order_.emplace_back('g', gauges_.size() - 1);
  return *gauges_.back();
}

family<histogram>&
metrics_registry::add_histogram(std::string name, std::string help,
                                std::vector<double> bounds,
                                std::vector<std::string> labels) {
  histograms_.push_back(std::make_unique<family<histogram>>(
      std::move(name), std::move(help), std::move(labels), std::move(bounds)));
  order_.emplace_back('h', histograms_.size() - 1);
  return *histograms_.back();
}

std::string metrics_registry::render() const {
  std::string out;
  for (auto [kind, index] : order_) {
    if (kind == 'c') {
      auto& f = *counters_[index];
      header(out, f, "counter");
      f.for_each([&](auto& values, const counter& c) {
        out += f.name() + label_set(f.labels(), values) + " " +
               std::to_string(c.value()) + "\n";
      });
    } else if (kind == 'g') {
      auto& f = *gauges_[index];
      header(out, f, "gauge");
      f.for_each([&](auto& values, const gauge& g) {
        out += f.name() + label_set(f.labels(), values) + " " +
               std::to_string(g.value()) + "\n";
      });
    } else {
      auto& f = *histograms_[index];
      header(out, f, "histogram");
      f.for_each([&](auto& values, const histogram& h) {
        auto s = h.read();
        for (size_t i = 0; i <= s.bounds.size(); ++i) {
          auto le = i < s.bounds.size() ? number(s.bounds[i]) : "+Inf";
          out += f.name() + "_bucket" +
                 label_set(f.labels(), values, "le", le) + " " +
                 std::to_string(s.cumulative[i]) + "\n";
        }
        auto labels = label_set(f.labels(), values);
        out += f.name() + "_sum" + labels + " " + number(s.sum) + "\n";
        out += f.name() + "_count" + labels + " " +
               std::to_string(s.cumulative.back()) + "\n";
      });
    }
  }
  return out;
}

} // namespace heymovie::observability
