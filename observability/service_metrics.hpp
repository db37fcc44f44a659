// Every metric HeyMovie exports, in one place, with its name, help text and
// labels, kept by prometheus-cpp (its registry, atomic counters and gauges,
// histograms and text format). Names follow Prometheus conventions: a
// `heymovie_` prefix, base units (seconds), `_total` for counters.

#pragma once

#include <memory>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <string>

namespace heymovie::observability {

class service_metrics {
  // First: the families below live in it.
  std::shared_ptr<prometheus::Registry> registry_;

public:
  /// The process-wide instance, registered on first use.
  static service_metrics& instance();

  /// The Prometheus text format (0.0.4) of these metrics, the build's
  /// (heymovie_build_info) and the process's (process_*).
  std::string render() const;

  // -- http
  // ---------------------------------------------------------------------
  /// Per route (a route template, never a raw path) and status.
  prometheus::Counter& http_requests(const std::string& route,
                                     const std::string& status);
  /// From the request's last byte to its answer being queued; per route.
  prometheus::Histogram& http_request_duration(const std::string& route);
  prometheus::Gauge& http_open_connections;

  // -- pipeline
  // -----------------------------------------------------------------
  /// Ratings queued at a shard or being written.
  prometheus::Gauge& shard_pending(const std::string& shard);
  prometheus::Gauge& shards;
  /// Shards reachable (in a gateway, those whose shard node is connected).
  prometheus::Gauge& available_shards;
  /// Shards at their pending limit (all of them: /readyz says not ready).
  prometheus::Gauge& saturated_shards;
  /// Distinct ratings per database transaction.
  prometheus::Histogram& batch_size;
  /// Per cause: shard_full (the user's shard at its pending limit),
  /// shard_down (its shard node unreachable), shutting_down (refused by a
  /// closed shard), connections (over http.max-connections).
  prometheus::Counter& rejections(const std::string& cause);

  // -- database
  // -----------------------------------------------------------------
  /// Time from BEGIN to the end of COMMIT of a successful batch.
  prometheus::Histogram& commit_duration;
  /// Per kind, one of persistence::db_error_kind (connection, conflict,
  /// timeout, unknown_movie, bad_row, permanent).
  prometheus::Counter& db_errors(const std::string& kind);
  prometheus::Counter& db_retries;
  /// 1 while the last database operation succeeded, else 0.
  prometheus::Gauge& db_up;
  /// 1 for the server ("host:port") the last new connection reached, 0 for
  /// the ones before.
  prometheus::Gauge& db_server(const std::string& address);
  /// New connections that reached another server than the one before (a
  /// failover or switchover with a multi-host URL).
  prometheus::Counter& db_server_changes;
  /// Time of a read endpoint's query; per query.
  prometheus::Histogram& read_duration(const std::string& query);
  /// Reads dropped unrun: they waited past their deadline.
  prometheus::Counter& reads_expired;

private:
  service_metrics();

  prometheus::Family<prometheus::Counter>& http_requests_;
  prometheus::Family<prometheus::Histogram>& http_request_durations_;
  prometheus::Family<prometheus::Gauge>& shard_pending_;
  prometheus::Family<prometheus::Counter>& rejections_;
  prometheus::Family<prometheus::Counter>& db_errors_;
  prometheus::Family<prometheus::Gauge>& db_servers_;
  prometheus::Family<prometheus::Histogram>& read_durations_;
};

} // namespace heymovie::observability
