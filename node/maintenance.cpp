#include "node/maintenance.hpp"

#include "persistence/connect.hpp"
#include "persistence/movie_import.hpp"
#include "persistence/schema.hpp"

#include <fstream>
#include <iostream>
#include <unistd.h>

namespace heymovie::node {

using namespace std::chrono_literals;

int migrate(const config::settings& s) {
  auto conn = persistence::connect_patiently(s.db.url, 30s);
  auto applied = persistence::migrate(*conn);
  std::cout << "schema up to date (" << applied << " migration(s) applied)\n";
  return 0;
}

int import_movies(const config::settings& s, const std::string& path) {
  std::ifstream in{path};
  if (!in) {
    std::cerr << "heymovie: cannot open " << path << "\n";
    return 1;
  }
  auto conn = persistence::connect_patiently(s.db.url, 30s);
  persistence::migrate(*conn);
  bool on_terminal = isatty(STDERR_FILENO) != 0;
  auto progress = [on_terminal](size_t done, size_t total) {
    if (on_terminal)
      std::cerr << "\rimporting movies: " << (total ? done * 100 / total : 100)
                << "% (" << done << "/" << total << ")" << std::flush;
  };
  auto summary = persistence::import_movies(*conn, in, progress);
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

} // namespace heymovie::node
