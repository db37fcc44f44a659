-- The end-of-run report shared by the wrk scripts here: the usual error
-- counts, and one line for tools/bench to read.

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("non-2xx: %d, socket errors: %d\n",
    summary.errors.status, errors))
  io.write(string.format(
    "BENCH rps=%.0f p50_ms=%.2f p99_ms=%.2f non2xx=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, errors))
end
