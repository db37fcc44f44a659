// The standard process_* metrics of Prometheus client libraries (CPU
// seconds, resident and virtual memory, open and maximum file descriptors,
// start time), read from /proc at each scrape. prometheus-cpp 1.0 has no
// collector for them.

#pragma once

#include <prometheus/metric_family.h>
#include <vector>

namespace heymovie::observability {

/// This process's figures now; an empty list where /proc cannot be read.
std::vector<prometheus::MetricFamily> process_metric_families();

} // namespace heymovie::observability
