#include "observability/service_metrics.hpp"

namespace heymovie::observability {

namespace {

/// 100 µs to 10 s in 1-2.5-5 steps.
std::vector<double> latency_bounds() {
  return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
          0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};
}

} // namespace

service_metrics& service_metrics::instance() {
  static service_metrics metrics;
  return metrics;
}

service_metrics::service_metrics()
    : http_requests(all.add_counter("heymovie_http_requests_total",
                                    "HTTP requests answered.",
                                    {"route", "status"})),
      http_request_duration(
          all.add_histogram("heymovie_http_request_duration_seconds",
                            "Time from a request's arrival to its answer.",
                            latency_bounds(), {"route"})),
      http_open_connections(all.add_gauge("heymovie_http_open_connections",
                                          "Open HTTP connections.")
                                .with({})),
      shard_pending(all.add_gauge("heymovie_shard_pending_ratings",
                                  "Ratings queued at a shard or being written.",
                                  {"shard"})),
      shards(all.add_gauge("heymovie_shards", "Rating shards.").with({})),
      available_shards(all.add_gauge("heymovie_shards_available",
                                     "Rating shards reachable from this node.")
                           .with({})),
      saturated_shards(all.add_gauge("heymovie_shards_saturated",
                                     "Shards at their pending-ratings limit.")
                           .with({})),
      batch_size(all.add_histogram("heymovie_batch_ratings",
                                   "Distinct ratings per database transaction.",
                                   exponential_bounds(1, 2, 14))
                     .with({})),
      rejections(all.add_counter("heymovie_rejections_total",
                                 "Requests answered 503, by cause.",
                                 {"cause"})),
      commit_duration(
          all.add_histogram("heymovie_db_commit_duration_seconds",
                            "Time of a successful batch transaction.",
                            latency_bounds())
              .with({})),
      db_errors(all.add_counter("heymovie_db_errors_total",
                                "Database errors, by kind.", {"kind"})),
      db_retries(all.add_counter("heymovie_db_retries_total",
                                 "Transactions tried again after an error.")
                     .with({})),
      db_up(all.add_gauge("heymovie_db_up",
                          "1 while the last database operation succeeded.")
                .with({})),
      read_duration(all.add_histogram("heymovie_db_read_duration_seconds",
                                      "Time of a read endpoint's query.",
                                      latency_bounds(), {"query"})),
      reads_expired(
          all.add_counter("heymovie_db_reads_expired_total",
                          "Reads not run: they waited for a reader past "
                          "their deadline (and were answered 503).")
              .with({})) {
  db_up.set(1);
}

} // namespace heymovie::observability
