#include "loadgen/runner.hpp"

#include "loadgen/bearer_tokens.hpp"
#include "loadgen/file_limit.hpp"
#include "loadgen/plot.hpp"
#include "loadgen/run_control.hpp"
#include "loadgen/summary.hpp"
#include "loadgen/worker.hpp"
#include "loadgen/workload.hpp"

#include <boost/asio/ip/tcp.hpp>

#include <cstdio>
#include <fstream>
#include <thread>

namespace heymovie::loadgen {

namespace {

namespace asio = boost::asio;

bool resolve(const server_address& server, asio::ip::tcp::endpoint& out) {
  asio::io_context ioc;
  asio::ip::tcp::resolver resolver{ioc};
  boost::system::error_code ec;
  auto results = resolver.resolve(server.host, std::to_string(server.port), ec);
  if (ec || results.empty()) {
    std::fprintf(stderr, "loadgen: cannot resolve %s: %s\n",
                 server.host.c_str(), ec.message().c_str());
    return false;
  }
  out = results.begin()->endpoint();
  return true;
}

std::string describe_run(const run_options& options) {
  std::string out = "loadgen: ";
  out += options.workload == workload_kind::replay
             ? "replaying " + options.ratings_path
             : "synthetic ratings on " + options.movies_path;
  out += " -> http://" + options.server.authority() + ", " +
         std::to_string(options.connections) + " connections, ";
  if (options.rate) {
    char rate[64];
    std::snprintf(rate, sizeof(rate), "open loop at %g req/s", *options.rate);
    out += rate;
  } else {
    out += "closed loop";
  }
  out += ", " + std::to_string(options.threads) + " thread(s)\n";
  return out;
}

// JSON, plot and record; false when one of them could not be written.
bool write_outputs(const run_options& options, const run_summary& summary,
                   const run_stats& stats, std::chrono::nanoseconds elapsed,
                   const record_file* record) {
  auto ok = true;
  if (!options.json_path.empty()) {
    std::ofstream out{options.json_path};
    out << summary_json(summary);
    if (!out) {
      std::fprintf(stderr, "loadgen: cannot write %s\n",
                   options.json_path.c_str());
      ok = false;
    }
  }
  if (!options.plot_path.empty()) {
    std::string error;
    if (write_plot(per_second(stats, elapsed), options.plot_path, error))
      std::fprintf(stderr, "loadgen: plot in %s\n", options.plot_path.c_str());
    else
      std::fprintf(stderr, "loadgen: %s\n", error.c_str());
  }
  if (record != nullptr && !record->error().empty()) {
    std::fprintf(stderr, "loadgen: record incomplete: %s\n",
                 record->error().c_str());
    ok = false;
  }
  return ok;
}

} // namespace

int run_load(const run_options& options) {
  ensure_file_limit(options.connections, 64);
  client_setup setup;
  if (!resolve(options.server, setup.server))
    return 1;
  setup.host = options.server.authority();
  setup.rate = options.rate.value_or(0);
  setup.timeout = options.timeout;
  setup.import_token = options.import_token;
  std::vector<std::unique_ptr<request_source>> sources;
  std::unique_ptr<record_file> record;
  try {
    sources = make_sources(options);
    if (!options.token_secret_path.empty())
      setup.token_secret =
          bearer_tokens::read_secret(options.token_secret_path);
    if (!options.record_path.empty())
      record = std::make_unique<record_file>(options.record_path);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "loadgen: %s\n", e.what());
    return 1;
  }
  auto per_second_latency = !options.plot_path.empty();
  std::vector<std::unique_ptr<worker>> workers;
  std::vector<worker*> handles;
  for (size_t t = 0; t < options.threads; ++t) {
    workers.push_back(
        std::make_unique<worker>(setup, record.get(), per_second_latency));
    handles.push_back(workers.back().get());
  }
  for (size_t c = 0; c < sources.size(); ++c)
    workers[c % workers.size()]->add_client(std::move(sources[c]));
  run_control control{handles, options.duration, options.progress};
  std::fputs(describe_run(options).c_str(), stderr);

  setup.start = steady_clock::now();
  if (options.duration)
    setup.stop_at = setup.start + *options.duration;
  std::vector<std::thread> threads;
  for (auto* w : handles)
    threads.emplace_back(
        [w, &control] { w->run([&control] { control.worker_done(); }); });
  control.run(setup.start);
  for (auto& t : threads)
    t.join();
  auto end = steady_clock::now();

  run_stats total{per_second_latency};
  for (auto& w : workers)
    total.merge(w->stats());
  auto elapsed =
      total.requests() > 0 ? total.last_completion() : end - setup.start;
  auto stopped_by = control.stopped_by();
  if (stopped_by == "end of workload" &&
      options.workload == workload_kind::synthetic)
    stopped_by = "count";
  auto summary = summarize(total, elapsed, stopped_by);
  std::fputs(format_summary(summary).c_str(), stdout);
  std::fflush(stdout);
  return write_outputs(options, summary, total, elapsed, record.get()) ? 0 : 1;
}

} // namespace heymovie::loadgen
