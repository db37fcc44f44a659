#include "observability/service_metrics.hpp"

#include "observability/build_info.hpp"
#include "observability/process_metrics.hpp"

#include <prometheus/text_serializer.h>

namespace heymovie::observability {

namespace {

/// 100 µs to 10 s in 1-2.5-5 steps.
const prometheus::Histogram::BucketBoundaries latency_bounds = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
    0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};

/// 1, 2, 4, ... 8192 ratings.
prometheus::Histogram::BucketBoundaries batch_bounds() {
  prometheus::Histogram::BucketBoundaries bounds;
  for (double b = 1; b <= 8192; b *= 2)
    bounds.push_back(b);
  return bounds;
}

template<class Builder>
auto& family(Builder builder, prometheus::Registry& registry, const char* name,
             const char* help) {
  return builder.Name(name).Help(help).Register(registry);
}

auto& counters(prometheus::Registry& r, const char* name, const char* help) {
  return family(prometheus::BuildCounter(), r, name, help);
}

auto& gauges(prometheus::Registry& r, const char* name, const char* help) {
  return family(prometheus::BuildGauge(), r, name, help);
}

auto& histograms(prometheus::Registry& r, const char* name, const char* help) {
  return family(prometheus::BuildHistogram(), r, name, help);
}

} // namespace

service_metrics& service_metrics::instance() {
  static service_metrics metrics;
  return metrics;
}

service_metrics::service_metrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      http_open_connections(gauges(*registry_, "heymovie_http_open_connections",
                                   "Open HTTP connections.")
                                .Add({})),
      shards(gauges(*registry_, "heymovie_shards", "Rating shards.").Add({})),
      available_shards(gauges(*registry_, "heymovie_shards_available",
                              "Rating shards reachable from this node.")
                           .Add({})),
      saturated_shards(gauges(*registry_, "heymovie_shards_saturated",
                              "Shards at their pending-ratings limit.")
                           .Add({})),
      batch_size(histograms(*registry_, "heymovie_batch_ratings",
                            "Distinct ratings per database transaction.")
                     .Add({}, batch_bounds())),
      commit_duration(histograms(*registry_,
                                 "heymovie_db_commit_duration_seconds",
                                 "Time of a successful batch transaction.")
                          .Add({}, latency_bounds)),
      db_retries(counters(*registry_, "heymovie_db_retries_total",
                          "Transactions tried again after an error.")
                     .Add({})),
      db_up(gauges(*registry_, "heymovie_db_up",
                   "1 while the last database operation succeeded.")
                .Add({})),
      db_server_changes(counters(*registry_, "heymovie_db_server_changes_total",
                                 "New database connections that reached "
                                 "another server than the one before.")
                            .Add({})),
      reads_expired(counters(*registry_, "heymovie_db_reads_expired_total",
                             "Reads not run: they waited for a reader past "
                             "their deadline (and were answered 503).")
                        .Add({})),
      http_requests_(counters(*registry_, "heymovie_http_requests_total",
                              "HTTP requests answered.")),
      http_request_durations_(
          histograms(*registry_, "heymovie_http_request_duration_seconds",
                     "Time from a request's arrival to its answer.")),
      shard_pending_(gauges(*registry_, "heymovie_shard_pending_ratings",
                            "Ratings queued at a shard or being written.")),
      rejections_(counters(*registry_, "heymovie_rejections_total",
                           "Requests answered 503, by cause.")),
      db_errors_(counters(*registry_, "heymovie_db_errors_total",
                          "Database errors, by kind.")),
      db_servers_(gauges(*registry_, "heymovie_db_server",
                         "1 for the database server (host:port) the "
                         "latest connection reached, 0 for earlier ones.")),
      read_durations_(histograms(*registry_,
                                 "heymovie_db_read_duration_seconds",
                                 "Time of a read endpoint's query.")) {
  db_up.Set(1);
  gauges(*registry_, "heymovie_build_info",
         "The version and commit this binary was built from; always 1.")
      .Add({{"version", std::string{build_version()}},
            {"commit", std::string{build_commit()}}})
      .Set(1);
}

prometheus::Counter& service_metrics::http_requests(const std::string& route,
                                                    const std::string& status) {
  return http_requests_.Add({{"route", route}, {"status", status}});
}

prometheus::Histogram&
service_metrics::http_request_duration(const std::string& route) {
  return http_request_durations_.Add({{"route", route}}, latency_bounds);
}

prometheus::Histogram&
service_metrics::read_duration(const std::string& query) {
  return read_durations_.Add({{"query", query}}, latency_bounds);
}

prometheus::Gauge& service_metrics::shard_pending(const std::string& shard) {
  return shard_pending_.Add({{"shard", shard}});
}

prometheus::Counter& service_metrics::rejections(const std::string& cause) {
  return rejections_.Add({{"cause", cause}});
}

prometheus::Gauge& service_metrics::db_server(const std::string& address) {
  return db_servers_.Add({{"address", address}});
}

prometheus::Counter& service_metrics::db_errors(const std::string& kind) {
  return db_errors_.Add({{"kind", kind}});
}

std::string service_metrics::render() const {
  auto families = registry_->Collect();
  for (auto& f : process_metric_families())
    families.push_back(std::move(f));
  return prometheus::TextSerializer{}.Serialize(families);
}

} // namespace heymovie::observability
