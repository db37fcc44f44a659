#include "loadgen/run_options.hpp"

#include <charconv>
#include <cmath>

namespace heymovie::loadgen {

namespace {

const std::vector<option_spec> table = {
    {"url", "URL", "server, http://host:port (default http://127.0.0.1:8080)"},
    {"replay", "PATH", "replay a MovieLens ratings.csv in file order per user"},
    {"limit", "N", "replay only the first N ratings"},
    {"synthetic", "", "send random ratings (needs --movies)"},
    {"movies", "PATH", "MovieLens movies.csv: the movie ids to rate"},
    {"users", "N", "synthetic users 1..N (default 100000)"},
    {"zipf", "S",
     "movie popularity skew by rank in movies.csv (default 1.0; 0 = uniform)"},
    {"rerate", "F",
     "share of requests re-rating a (user, movie) pair sent earlier in this "
     "run (default 0.1)"},
    {"count", "N", "stop after N synthetic requests"},
    {"duration", "SECONDS",
     "stop after this long (synthetic default: 10, or no limit when --count is "
     "given)"},
    {"seed", "N", "random seed of the synthetic workload (default 1)"},
    {"timestamps", "", "send a timestamp (now) with synthetic ratings"},
    {"connections", "N",
     "keep-alive connections (default 64); user u always uses connection u % "
     "N"},
    {"rate", "R",
     "open loop: R requests/s, each due at t0 + i/R and timed from then "
     "(default: closed loop)"},
    {"timeout", "SECONDS", "connect + answer timeout per request (default 10)"},
    {"threads", "N", "event-loop threads (default 1)"},
    {"token-secret", "FILE",
     "the service's HS256 secret: send bearer tokens minted with it"},
    {"token-scope", "user|import",
     "a token per user (default for undated synthetic ratings) or one "
     "import token (default for replays and --timestamps)"},
    {"json", "PATH", "also write the summary as JSON"},
    {"plot", "FILE.png", "plot requests/s and p99 per second (gnuplot)"},
    {"record", "PATH",
     "write user,movie,half_stars,timestamp,status per finished request (the "
     "file is replaced)"},
    {"progress", "", "print requests/s every second on stderr"},
};

// Options that only make sense with one of the workloads.
const std::vector<std::string_view> synthetic_only = {
    "movies", "users", "zipf", "rerate", "count", "seed", "timestamps"};
const std::vector<std::string_view> replay_only = {"limit"};

void refuse_foreign(const command_line& args,
                    const std::vector<std::string_view>& names,
                    std::string_view workload) {
  for (auto name : names)
    if (args.has(name))
      throw usage_error("--" + std::string{name} + " applies to --" +
                        std::string{workload} + " only");
}

} // namespace

std::optional<server_address> parse_url(std::string_view url) {
  constexpr std::string_view scheme = "http://";
  if (url.substr(0, scheme.size()) != scheme)
    return std::nullopt;
  url.remove_prefix(scheme.size());
  if (!url.empty() && url.back() == '/')
    url.remove_suffix(1);
  server_address out;
  auto colon = url.rfind(':');
  if (colon != std::string_view::npos && url.find(']', colon) == url.npos) {
    auto port = url.substr(colon + 1);
    unsigned value = 0;
    auto [end, ec] =
        std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc{} || end != port.data() + port.size() || value == 0 ||
        value > 65535)
      return std::nullopt;
    out.port = static_cast<uint16_t>(value);
    url = url.substr(0, colon);
  }
  // [::1] style hosts lose their brackets for the resolver.
  if (url.size() > 2 && url.front() == '[' && url.back() == ']')
    url = url.substr(1, url.size() - 2);
  if (url.empty() || url.find_first_of("/?#@") != url.npos)
    return std::nullopt;
  out.host = std::string{url};
  return out;
}

std::chrono::nanoseconds seconds_to_duration(double seconds) {
  return std::chrono::nanoseconds{std::llround(seconds * 1e9)};
}

const std::vector<option_spec>& run_option_table() {
  return table;
}

server_address url_option(const command_line& args, server_address fallback) {
  if (!args.has("url"))
    return fallback;
  auto server = parse_url(args.text("url"));
  if (!server)
    throw usage_error("--url: '" + args.text("url") +
                      "' is not http://host:port");
  return *server;
}

run_options parse_run_options(const command_line& args) {
  run_options out;
  out.server = url_option(args, out.server);
  auto replay = args.has("replay");
  if (replay == args.flag("synthetic"))
    throw usage_error("give either --replay=PATH or --synthetic");
  constexpr auto max_int = std::numeric_limits<int32_t>::max();
  constexpr auto max_count = std::numeric_limits<int64_t>::max();
  if (replay) {
    refuse_foreign(args, synthetic_only, "synthetic");
    out.workload = workload_kind::replay;
    out.ratings_path = args.text("replay");
    out.limit =
        static_cast<uint64_t>(args.integer("limit", max_count, 0, max_count));
  } else {
    refuse_foreign(args, replay_only, "replay");
    out.workload = workload_kind::synthetic;
    if (!args.has("movies"))
      throw usage_error("--synthetic needs --movies=PATH (a movies.csv)");
    out.movies_path = args.text("movies");
    out.users = static_cast<int32_t>(args.integer("users", 100000, 1, max_int));
    out.zipf = args.number("zipf", 1.0, 0, 100);
    out.rerate = args.number("rerate", 0.1, 0, 1);
    out.count =
        static_cast<uint64_t>(args.integer("count", max_count, 1, max_count));
    out.seed = static_cast<uint64_t>(args.integer("seed", 1, 0, max_count));
    out.timestamps = args.flag("timestamps");
    if (!args.has("count"))
      out.duration = std::chrono::seconds{10};
  }
  if (args.has("duration"))
    out.duration = seconds_to_duration(args.number("duration", 0, 0.001, 1e7));
  out.connections =
      static_cast<size_t>(args.integer("connections", 64, 1, 1000000));
  if (args.has("rate"))
    out.rate = args.number("rate", 0, 0.001, 1e9);
  out.timeout = seconds_to_duration(args.number("timeout", 10, 0.001, 86400));
  out.threads = static_cast<size_t>(args.integer("threads", 1, 1, 256));
  if (out.threads > out.connections)
    out.threads = out.connections;
  out.token_secret_path = args.text("token-secret");
  // Only scope import may date ratings.
  auto dated = replay || out.timestamps;
  auto scope = args.text("token-scope", dated ? "import" : "user");
  if (scope != "user" && scope != "import")
    throw usage_error("--token-scope must be user or import");
  if (scope == "user" && dated)
    throw usage_error("--token-scope=user cannot send timestamps (replays, "
                      "--timestamps): only import tokens may");
  if (args.has("token-scope") && out.token_secret_path.empty())
    throw usage_error("--token-scope needs --token-secret");
  out.import_token = scope == "import";
  out.json_path = args.text("json");
  out.plot_path = args.text("plot");
  out.record_path = args.text("record");
  out.progress = args.flag("progress");
  return out;
}

} // namespace heymovie::loadgen
