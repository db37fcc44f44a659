// heymovie: the movie-rating service. Wires the layers together:
//
//   heymovie [serve] [--section.key=value ...]    run the service
//   heymovie migrate [...]                        create or update the schema
//   heymovie import-movies PATH [...]             load a MovieLens movies.csv
//
// Options come from config/heymovie.ini (or --config-file=PATH), then
// DATABASE_URL, then the command line.

#include "actors/catalog_refresher.hpp"
#include "actors/messages.hpp"
#include "actors/rating_shard.hpp"
#include "actors/reader_pool.hpp"
#include "actors/router.hpp"
#include "actors/shard_node.hpp"
#include "actors/shard_node_link.hpp"
#include "actors/writer_pool.hpp"
#include "config/service_config.hpp"
#include "http/server.hpp"
#include "persistence/connection_liveness.hpp"
#include "persistence/movie_catalog.hpp"
#include "persistence/movie_import.hpp"
#include "persistence/schema.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/system/system_error.hpp>
#include <caf/actor_system.hpp>
#include <caf/exit_reason.hpp>
#include <caf/io/middleman.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>

namespace {

using namespace heymovie;
using namespace std::chrono_literals;

constexpr const char* usage =
    "usage: heymovie [serve | migrate | import-movies PATH] "
    "[--section.key=value ...]\n";

/// Connects, retrying for a while: at start-up the database may still be
/// coming up.
pqxx::connection connect_patiently(const std::string& url,
                                   std::chrono::seconds patience) {
  auto give_up_at = std::chrono::steady_clock::now() + patience;
  for (auto pause = 100ms;; pause = std::min(pause * 2, 2000ms)) {
    try {
      return pqxx::connection{persistence::with_liveness_checks(url)};
    } catch (const pqxx::broken_connection& e) {
      if (std::chrono::steady_clock::now() >= give_up_at)
        throw;
      spdlog::warn("database not reachable yet, retrying: {}", e.what());
      std::this_thread::sleep_for(pause);
    }
  }
}

/// Brings the schema up to date, saying so when it changed.
void migrate_schema(pqxx::connection_base& conn) {
  if (auto applied = persistence::migrate(conn); applied > 0)
    spdlog::info("schema: applied {} migration(s)", applied);
}

/// Starts the server; nothing (and one line saying why) when it cannot listen
/// (the port is taken, the address is not this machine's), so that the
/// actors already running can be stopped: the actor system waits for them.
std::optional<uint16_t> start_listening(http::server& server,
                                        const config::http_settings& http) {
  try {
    return server.start();
  } catch (const boost::system::system_error& e) {
    spdlog::critical("cannot listen on {}:{}: {}", http.address, http.port,
                     e.code().message());
    return std::nullopt;
  }
}

/// Many connections need many descriptors: take what the hard limit allows.
void raise_descriptor_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 &&
      limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

/// Blocks SIGINT and SIGTERM in this thread and every thread started after
/// it; wait_for_stop_signal takes them.
sigset_t block_stop_signals() {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  return stop_signals;
}

/// Blocks until SIGINT or SIGTERM.
void wait_for_stop_signal(const sigset_t& stop_signals) {
  pthread_sigmask(SIG_UNBLOCK, &stop_signals, nullptr);
  boost::asio::io_context ioc;
  boost::asio::signal_set signals{ioc, SIGINT, SIGTERM};
  signals.async_wait([](const boost::system::error_code&, int sig) {
    spdlog::info("signal {}: draining", sig);
  });
  ioc.run();
}

/// Ends the process when stopping takes longer than `budget`: a DB writer or
/// reader blocked in libpq on a database that no longer answers (frozen, not
/// down: statement_timeout needs a running server, and a Unix socket has no
/// keepalive) would otherwise keep it for ever. Whatever it held was never
/// acknowledged.
class stop_watchdog {
public:
  explicit stop_watchdog(std::chrono::milliseconds budget)
      : thread_{[this, budget] {
          watch(budget);
        }} {}

  ~stop_watchdog() {
    {
      std::lock_guard<std::mutex> guard{mutex_};
      stopped_ = true;
    }
    stopped_changed_.notify_one();
    thread_.join();
  }

  stop_watchdog(const stop_watchdog&) = delete;
  stop_watchdog& operator=(const stop_watchdog&) = delete;

private:
  void watch(std::chrono::milliseconds budget) {
    std::unique_lock<std::mutex> lock{mutex_};
    if (stopped_changed_.wait_for(lock, budget, [this] { return stopped_; }))
      return;
    spdlog::critical("stopping took over {} ms (a database call does not "
                     "return); exiting without waiting for it",
                     budget.count());
    spdlog::default_logger()->flush();
    std::_Exit(1);
  }

  std::mutex mutex_;
  std::condition_variable stopped_changed_;
  bool stopped_ = false;
  std::thread thread_; // last: starts once the rest exists
};

/// How long stopping may take: the drain (each open request's deadline and a
/// second), then the writers' last statements (each within the deadline),
/// and a margin.
std::chrono::milliseconds stop_budget(const config::settings& s) {
  return std::chrono::ceil<std::chrono::milliseconds>(
      2 * s.http.request_deadline + 3s);
}

/// The write side of the pipeline on this node: DB writers and shards.
struct write_pipeline {
  actors::writer_pool_actor pool;
  std::vector<actors::rating_shard_actor> shards;

  write_pipeline(caf::actor_system& sys, const config::settings& s) {
    actors::writer_settings writer{s.db.url,
                                   {s.db.retry_backoff, s.db.retry_backoff_max},
                                   s.http.request_deadline};
    pool = sys.spawn(actors::writer_pool, writer, s.db.writers);
    for (size_t i = 0; i < s.pipeline.shards; ++i)
      shards.push_back(
          sys.spawn(actors::rating_shard,
                    actors::shard_settings{
                        static_cast<uint32_t>(i), s.pipeline.batch_size,
                        s.pipeline.mailbox_limit, s.pipeline.batch_linger},
                    pool));
  }

  void stop() {
    for (auto& shard : shards)
      caf::anon_send_exit(shard, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
    shards.clear();
    pool = nullptr;
  }
};

/// Standalone and gateway nodes: HTTP, router, readers; the shards are local
/// (standalone) or on the shard nodes (gateway).
int serve_http(config::service_config& cfg) {
  auto& s = cfg.values;
  auto stop_signals = block_stop_signals();
  auto catalog = std::make_shared<persistence::movie_catalog>([&] {
    auto conn = connect_patiently(s.db.url, 30s);
    migrate_schema(conn);
    return persistence::read_movie_ids(conn);
  }());
  spdlog::info("catalogue: {} movies", catalog->size());
  if (s.cluster.role == "gateway")
    cfg.load<caf::io::middleman>();
  std::optional<stop_watchdog> watchdog; // outlives the actor system
  caf::actor_system sys{cfg};
  actors::reader_settings reading{s.db.url, s.db.readers};
  reading.statement_timeout =
      std::chrono::ceil<std::chrono::milliseconds>(s.http.request_deadline);
  auto readers = sys.spawn(actors::reader_pool, reading);
  actors::catalog_refresher_actor refresher;
  if (s.db.catalog_refresh > 0s)
    refresher = sys.spawn(actors::catalog_refresher, catalog, readers,
                          s.db.catalog_refresh);
  std::optional<write_pipeline> local;
  std::vector<actors::rating_shard_actor> shards;
  if (s.cluster.role == "standalone") {
    local.emplace(sys, s);
    shards = local->shards;
  } else {
    shards.resize(s.cluster.shard_nodes.size() * s.pipeline.shards);
  }
  auto health = std::make_shared<actors::pipeline_health>();
  auto router =
      sys.spawn(actors::router, shards, s.pipeline.mailbox_limit, health);
  std::vector<actors::shard_node_link_actor> links;
  for (size_t i = 0; i < s.cluster.shard_nodes.size(); ++i) {
    // Validated with the rest of the configuration.
    auto node = config::parse_host_port(s.cluster.shard_nodes[i]).value();
    links.push_back(sys.spawn(
        actors::shard_node_link,
        actors::shard_node_address{static_cast<uint32_t>(i), node.host,
                                   node.port, s.pipeline.shards,
                                   s.cluster.reconnect_interval},
        router));
  }
  {
    http::server server{s.http,
                        router,
                        health,
                        readers,
                        *catalog,
                        s.log.access_log,
                        s.cluster.node_name};
    auto port = start_listening(server, s.http);
    if (port) {
      spdlog::info("{} listening on {}:{} ({} shards{}, {} http threads)",
                   s.cluster.role, s.http.address, *port, shards.size(),
                   local
                       ? ", " + std::to_string(s.db.writers) + " writers"
                       : " on " + std::to_string(links.size()) + " shard nodes",
                   s.http.threads);
      wait_for_stop_signal(stop_signals);
      watchdog.emplace(stop_budget(s));
      // Stop accepting and reading; answer everything already accepted,
      // which the shards now send to the database without lingering.
      caf::anon_send(router, actors::drain_atom::value);
      auto started = std::chrono::steady_clock::now();
      if (server.drain(s.http.request_deadline + 1s))
        spdlog::info("drained in {} ms",
                     std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::steady_clock::now() - started)
                         .count());
      else
        spdlog::warn("drain: gave up waiting for open requests");
    }
    server.stop();
    // Every actor gets an explicit exit: ones that talked to other nodes are
    // kept alive by the middleman otherwise.
    for (auto& link : links)
      caf::anon_send_exit(link, caf::exit_reason::user_shutdown);
    if (local)
      local->stop();
    caf::anon_send_exit(router, caf::exit_reason::user_shutdown);
    if (refresher)
      caf::anon_send_exit(refresher, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(readers, caf::exit_reason::user_shutdown);
    links.clear();
    shards.clear();
    router = nullptr;
    readers = nullptr;
    refresher = nullptr;
    // The router holds the server's submitters: it must end first.
    sys.await_all_actors_done();
    if (!port)
      return 1;
  }
  spdlog::info("stopped");
  return 0;
}

/// Waits until the shards have nothing pending (or `grace` has passed).
bool wait_until_flushed(caf::actor_system& sys,
                        const std::vector<actors::rating_shard_actor>& shards,
                        std::chrono::nanoseconds grace) {
  auto give_up_at = std::chrono::steady_clock::now() + grace;
  caf::scoped_actor self{sys};
  while (std::chrono::steady_clock::now() < give_up_at) {
    uint32_t pending = 0;
    for (auto& shard : shards)
      self->request(shard, 1s, actors::load_atom::value)
          .receive(
              [&](const actors::shard_load& load) { pending += load.pending; },
              [&](const caf::error&) { ++pending; });
    if (pending == 0)
      return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

/// Shard nodes: shards and DB writers, published for gateways.
int serve_shard_node(config::service_config& cfg) {
  auto& s = cfg.values;
  auto stop_signals = block_stop_signals();
  {
    // No catalogue: gateways validate the ratings they send here.
    auto conn = connect_patiently(s.db.url, 30s);
    migrate_schema(conn);
  }
  cfg.load<caf::io::middleman>();
  std::optional<stop_watchdog> watchdog; // outlives the actor system
  caf::actor_system sys{cfg};
  write_pipeline pipeline{sys, s};
  auto front = sys.spawn(actors::shard_node, pipeline.shards);
  auto port = sys.middleman().publish(front, s.cluster.port,
                                      s.cluster.address.c_str(), true);
  if (!port) {
    spdlog::critical("cannot publish on {}:{}: {}", s.cluster.address,
                     s.cluster.port, sys.render(port.error()));
    pipeline.stop();
    caf::anon_send_exit(front, caf::exit_reason::user_shutdown);
    return 1;
  }
  spdlog::info("shard node: {} shards, {} writers, published on {}:{}",
               pipeline.shards.size(), s.db.writers, s.cluster.address, *port);
  wait_for_stop_signal(stop_signals);
  watchdog.emplace(stop_budget(s));
  sys.middleman().unpublish(front, *port);
  for (auto& shard : pipeline.shards)
    caf::anon_send(shard, actors::close_atom::value);
  if (wait_until_flushed(sys, pipeline.shards, s.http.request_deadline + 1s))
    spdlog::info("drained: every accepted rating is written");
  else
    spdlog::warn("drain: gave up waiting for pending ratings");
  pipeline.stop();
  caf::anon_send_exit(front, caf::exit_reason::user_shutdown);
  front = nullptr;
  sys.await_all_actors_done();
  spdlog::info("stopped");
  return 0;
}

int serve(config::service_config& cfg) {
  spdlog::info("configuration: {} scheduler.max-threads={}",
               config::describe(cfg.values),
               caf::get_or(cfg, "scheduler.max-threads", size_t{0}));
  raise_descriptor_limit();
  if (cfg.values.cluster.role == "shard")
    return serve_shard_node(cfg);
  return serve_http(cfg);
}

int migrate(const config::service_config& cfg) {
  auto conn = connect_patiently(cfg.values.db.url, 30s);
  auto applied = persistence::migrate(conn);
  std::cout << "schema up to date (" << applied << " migration(s) applied)\n";
  return 0;
}

int import_movies(const config::service_config& cfg, const std::string& path) {
  std::ifstream in{path};
  if (!in) {
    std::cerr << "heymovie: cannot open " << path << "\n";
    return 1;
  }
  auto conn = connect_patiently(cfg.values.db.url, 30s);
  persistence::migrate(conn);
  bool on_terminal = isatty(STDERR_FILENO) != 0;
  auto progress = [on_terminal](size_t done, size_t total) {
    if (on_terminal)
      std::cerr << "\rimporting movies: " << (total ? done * 100 / total : 100)
                << "% (" << done << "/" << total << ")" << std::flush;
  };
  auto summary = persistence::import_movies(conn, in, progress);
  if (on_terminal)
    std::cerr << "\n";
  for (auto& line : summary.refused)
    std::cerr << path << ":" << line.line << ": refused: " << line.reason
              << "\n";
  for (auto& line : summary.duplicates)
    std::cerr << path << ":" << line.line << ": " << line.reason << "\n";
  std::cout << "movies read: " << summary.read
            << ", inserted: " << summary.inserted
            << ", updated: " << summary.updated
            << ", unchanged: " << summary.unchanged
            << ", refused: " << summary.refused.size()
            << ", duplicates: " << summary.duplicates.size() << "\n";
  return summary.refused.empty() ? 0 : 2;
}

} // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  std::vector<std::string> words;
  std::vector<std::string> options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    (arg.rfind("-", 0) == 0 ? options : words).push_back(std::move(arg));
  }
  config::service_config cfg;
  actors::add_message_types(cfg);
  if (auto problem = cfg.configure(options); !problem.empty()) {
    std::cerr << "heymovie: " << problem << "\n" << usage;
    return 64;
  }
  if (cfg.cli_helptext_printed) {
    std::cout << usage;
    return 0;
  }
  spdlog::set_level(spdlog::level::from_str(cfg.values.log.level));
  auto command = words.empty() ? std::string{"serve"} : words.front();
  try {
    if (command == "serve" && words.size() <= 1)
      return serve(cfg);
    if (command == "migrate" && words.size() == 1)
      return migrate(cfg);
    if (command == "import-movies" && words.size() == 2)
      return import_movies(cfg, words[1]);
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
  std::cerr << usage;
  return 64;
}
