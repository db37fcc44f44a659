// heymovie: the movie-rating service. Parses the command and hands over:
//
//   heymovie [serve] [--section.key=value ...]    run the service (node/)
//   heymovie migrate [...]                        create or update the schema
//   heymovie import-movies PATH [...]             load a MovieLens movies.csv
//   heymovie token --user=N [--scope=S] [--ttl=1h] [...]   mint HS256 tokens
//   heymovie --version                            version and commit
//
// Options come from config/heymovie.ini (or --config-file=PATH), then
// DATABASE_URL, then the command line.

#include "actors/messages.hpp"
#include "config/service_config.hpp"
#include "node/maintenance.hpp"
#include "node/node.hpp"
#include "observability/build_info.hpp"
#include "observability/json_log_formatter.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <exception>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace heymovie;

constexpr const char* usage =
    "usage: heymovie [serve | migrate | import-movies PATH | token "
    "--user=N|A..B [--scope=import] [--ttl=1h]] [--section.key=value ...]\n"
    "       heymovie --version\n";

/// Logs go to stderr (spdlog's default logger writes to stdout), leaving
/// stdout to the commands' results; as text or as JSON lines.
void log_to_stderr(const config::log_settings& log) {
  auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("", sink));
  spdlog::set_level(spdlog::level::from_str(log.level));
  if (log.format == "json")
    spdlog::set_formatter(
        std::make_unique<observability::json_log_formatter>());
}

} // namespace

int main(int argc, char** argv) {
  // A client that goes away must not end the process.
  std::signal(SIGPIPE, SIG_IGN);
  if (argc == 2 && std::string_view{argv[1]} == "--version") {
    std::cout << "heymovie " << observability::build_version() << " (commit "
              << observability::build_commit() << ")\n";
    return 0;
  }
  std::vector<std::string> words;
  std::vector<std::string> options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    (arg.rfind("-", 0) == 0 ? options : words).push_back(std::move(arg));
  }
  // The token command's own options are not configuration keys.
  std::optional<node::token_order> token_order;
  if (!words.empty() && words.front() == "token")
    token_order = node::take_token_options(options);
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
  log_to_stderr(cfg.values.log);
  auto command = words.empty() ? std::string{"serve"} : words.front();
  try {
    if (command == "serve" && words.size() <= 1)
      return node::serve(cfg);
    if (command == "migrate" && words.size() == 1)
      return node::migrate(cfg.values);
    if (command == "import-movies" && words.size() == 2)
      return node::import_movies(cfg.values, words[1]);
    if (command == "token" && words.size() == 1)
      return node::mint_tokens(cfg.values, *token_order);
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
  std::cerr << usage;
  return 64;
}
