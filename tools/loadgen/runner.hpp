// `loadgen run`: loads the workload, spreads the connections over the
// worker threads (connection c on thread c % threads), drives them until
// the workload, --count or --duration ends or a signal arrives, and reports:
// the summary on stdout, and on request JSON, a plot and the record.

#pragma once

#include "loadgen/run_options.hpp"

namespace heymovie::loadgen {

/// The process exit code: 0, or 1 when the run could not start or a file
/// could not be written. Failed requests do not make a run fail.
int run_load(const run_options& options);

} // namespace heymovie::loadgen
