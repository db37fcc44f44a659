// Every metric HeyMovie exports, in one place, with its name, help text and
// labels. Names follow Prometheus conventions: a `heymovie_` prefix, base
// units (seconds), `_total` for counters.

#pragma once

#include "observability/metrics_registry.hpp"

namespace heymovie::observability {

struct service_metrics {
  /// The process-wide instance, registered on first use.
  static service_metrics& instance();

  metrics_registry all;

  // -- http
  // ---------------------------------------------------------------------
  /// labels: route (a route template, never a raw path), status.
  family<counter>& http_requests;
  /// labels: route. From the request's last byte to its answer being queued.
  family<histogram>& http_request_duration;
  gauge& http_open_connections;

  // -- pipeline
  // -----------------------------------------------------------------
  /// labels: shard. Ratings queued or being written.
  family<gauge>& shard_pending;
  gauge& shards;
  /// Shards reachable (in a gateway, those whose shard node is connected).
  gauge& available_shards;
  /// Shards at their pending limit (all of them: /readyz says not ready).
  gauge& saturated_shards;
  /// Distinct ratings per database transaction.
  histogram& batch_size;
  /// labels: cause: shard_full (the user's shard at its pending limit),
  /// shard_down (its shard node unreachable), shutting_down (refused by a
  /// closed shard), connections (over http.max-connections).
  family<counter>& rejections;

  // -- database
  // -----------------------------------------------------------------
  /// Time from BEGIN to the end of COMMIT of a successful batch.
  histogram& commit_duration;
  /// labels: kind, one of persistence::db_error_kind (connection,
  /// conflict, timeout, unknown_movie, bad_row, permanent).
  family<counter>& db_errors;
  counter& db_retries;
  /// 1 while the last database operation succeeded, else 0.
  gauge& db_up;
  /// labels: query. Time of a read endpoint's query.
  family<histogram>& read_duration;
  /// Reads dropped unrun: they waited past their deadline.
  counter& reads_expired;

private:
  service_metrics();
};

} // namespace heymovie::observability
