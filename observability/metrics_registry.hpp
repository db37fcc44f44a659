// Metrics in the Prometheus model (counters, gauges, histograms, with labels)
// and their text exposition format: a small client of our own, with
// lock-free updates on the hot paths and a mutex only when a new label
// combination appears or on rendering. It was written when we believed
// Debian 12 had no Prometheus client for C++; it has one (prometheus-cpp-dev
// 1.0.1), and whether to switch to it is to be decided by a measurement of
// its cost on the hot path.

#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace heymovie::observability {

/// A count that only goes up.
class counter {
public:
  void add(uint64_t n = 1) noexcept {
    value_.fetch_add(n, std::memory_order_relaxed);
  }
  uint64_t value() const noexcept {
    return value_.load(std::memory_order_relaxed);
  }

private:
  std::atomic<uint64_t> value_{0};
};

/// A value that goes up and down.
class gauge {
public:
  void set(int64_t v) noexcept { value_.store(v, std::memory_order_relaxed); }
  void add(int64_t n) noexcept {
    value_.fetch_add(n, std::memory_order_relaxed);
  }
  int64_t value() const noexcept {
    return value_.load(std::memory_order_relaxed);
  }

private:
  std::atomic<int64_t> value_{0};
};

/// Observations counted into buckets with fixed upper bounds.
class histogram {
public:
  /// `bounds` ascending; an implicit +Inf bucket follows.
  explicit histogram(std::vector<double> bounds);

  void observe(double value) noexcept;

  struct snapshot {
    std::vector<double> bounds;
    /// Cumulative counts per bound, then the +Inf bucket (the count).
    std::vector<uint64_t> cumulative;
    double sum = 0;
  };

  snapshot read() const;

private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;
  std::atomic<uint64_t> sum_micro_{0};
};

/// Exponential bucket bounds: start, start*factor, ... (count of them).
std::vector<double> exponential_bounds(double start, double factor,
                                       size_t count);

/// One metric name with its children, one per combination of label values.
template<class Metric>
class family {
public:
  family(std::string name, std::string help, std::vector<std::string> labels,
         std::vector<double> bounds = {})
      : name_(std::move(name)), help_(std::move(help)),
        labels_(std::move(labels)), bounds_(std::move(bounds)) {
    // nop
  }

  /// The child for these label values (as many as label names); created on
  /// first use. The reference stays valid for the family's life: keep it.
  Metric& with(const std::vector<std::string>& values);

  const std::string& name() const noexcept { return name_; }
  const std::string& help() const noexcept { return help_; }
  const std::vector<std::string>& labels() const noexcept { return labels_; }

  /// Visits (label values, metric) pairs in label order.
  template<class F>
  void for_each(F f) const {
    std::lock_guard<std::mutex> guard{mtx_};
    for (auto& [values, metric] : children_)
      f(values, *metric);
  }

private:
  std::string name_;
  std::string help_;
  std::vector<std::string> labels_;
  std::vector<double> bounds_;
  mutable std::mutex mtx_;
  std::map<std::vector<std::string>, std::unique_ptr<Metric>> children_;
};

/// All families of a process, rendered together for GET /metrics.
class metrics_registry {
public:
  family<counter>& add_counter(std::string name, std::string help,
                               std::vector<std::string> labels = {});
  family<gauge>& add_gauge(std::string name, std::string help,
                           std::vector<std::string> labels = {});
  family<histogram>& add_histogram(std::string name, std::string help,
                                   std::vector<double> bounds,
                                   std::vector<std::string> labels = {});

  /// The Prometheus text exposition format, version 0.0.4.
  std::string render() const;

private:
  std::vector<std::unique_ptr<family<counter>>> counters_;
  std::vector<std::unique_ptr<family<gauge>>> gauges_;
  std::vector<std::unique_ptr<family<histogram>>> histograms_;
  /// Names in registration order, for a stable output.
  std::vector<std::pair<char, size_t>> order_;
};

template<class Metric>
Metric& family<Metric>::with(const std::vector<std::string>& values) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto& slot = children_[values];
  if (!slot) {
    if constexpr (std::is_same_v<Metric, histogram>)
      slot = std::make_unique<Metric>(bounds_);
    else
      slot = std::make_unique<Metric>();
  }
  return *slot;
}

} // namespace heymovie::observability
