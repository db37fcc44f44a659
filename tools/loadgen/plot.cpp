#include "loadgen/plot.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace heymovie::loadgen {

namespace fs = std::filesystem;

namespace {

// A gnuplot string literal: single quotes, a quote doubled.
std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    out += c;
    if (c == '\'')
      out += '\'';
  }
  return out + "'";
}

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    auto end = dirs.find(':', start);
    if (end == std::string::npos)
      end = dirs.size();
    auto candidate = dirs.substr(start, end - start) + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0)
      return true;
    start = end + 1;
  }
  return false;
}

// Runs `gnuplot script`; its exit status, or -1 when it did not start.
int run_gnuplot(const std::string& script) {
  std::string program = "gnuplot";
  char* argv[] = {program.data(), const_cast<char*>(script.c_str()), nullptr};
  pid_t pid = 0;
  if (::posix_spawnp(&pid, "gnuplot", nullptr, nullptr, argv, environ) != 0)
    return -1;
  int status = 0;
  if (::waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
    return -1;
  return WEXITSTATUS(status);
}

} // namespace

std::vector<second_sample> per_second(const run_stats& stats,
                                      std::chrono::nanoseconds elapsed) {
  std::vector<second_sample> out;
  auto total = std::chrono::duration<double>(elapsed).count();
  auto& seconds = stats.seconds();
  auto& latencies = stats.second_latencies();
  for (size_t i = 0; i < seconds.size(); ++i) {
    auto length = std::min(1.0, total - static_cast<double>(i));
    if (length < 0.05)
      continue; // a sliver at the end would show a meaningless rate
    second_sample s;
    s.second = static_cast<double>(i) + length / 2; // the second's middle
    s.rate = static_cast<double>(seconds[i].requests) / length;
    s.ok_rate = static_cast<double>(seconds[i].ok) / length;
    if (i < latencies.size())
      s.p99_ms = static_cast<double>(latencies[i].percentile_us(0.99)) / 1000;
    out.push_back(s);
  }
  return out;
}

std::string plot_script(const std::string& data, const std::string& png) {
  return "if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
         "  set terminal pngcairo size 1000,500 font 'sans,10'\n"
         "} else {\n"
         "  set terminal png size 1000,500\n"
         "}\n"
         "set output " +
         quoted(png) +
         "\n"
         "set title 'loadgen: throughput and p99 latency per second'\n"
         "set xlabel 'second of the run'\n"
         "set ylabel 'requests per second'\n"
         "set y2label 'p99 latency (ms)'\n"
         "set ytics nomirror\n"
         "set y2tics\n"
         "set xrange [0:*]\n"
         "set yrange [0:*]\n"
         "set y2range [0:*]\n"
         "set grid\n"
         "set bmargin 6\n"
         "set key at screen 0.5, screen 0.04 center horizontal\n"
         "plot " +
         quoted(data) +
         " using 1:2 with linespoints lw 2 pt 7 ps 0.6 title 'finished/s' axes "
         "x1y1, \\\n"
         "     '' using 1:3 with linespoints lw 2 pt 7 ps 0.6 title '2xx/s' "
         "axes x1y1, \\\n"
         "     '' using 1:4 with linespoints lw 2 pt 7 ps 0.6 title 'p99 ms' "
         "axes x1y2\n";
}

bool write_plot(const std::vector<second_sample>& samples,
                const std::string& png, std::string& error) {
  if (!on_path("gnuplot")) {
    error = "gnuplot is not installed (apt-get install gnuplot-nox); no plot";
    return false;
  }
  if (samples.empty()) {
    error = "no complete second to plot";
    return false;
  }
  std::string pattern = (fs::temp_directory_path() / "loadgen-plot-XXXXXX");
  if (::mkdtemp(pattern.data()) == nullptr) {
    error = "cannot create a temporary folder for the plot";
    return false;
  }
  fs::path dir = pattern;
  auto data = (dir / "seconds.dat").string();
  auto script = (dir / "plot.gp").string();
  {
    std::ofstream out{data};
    out << "# second requests/s 2xx/s p99_ms\n";
    for (auto& s : samples)
      out << s.second << ' ' << s.rate << ' ' << s.ok_rate << ' ' << s.p99_ms
          << '\n';
    std::ofstream{script} << plot_script(data, fs::absolute(png).string());
  }
  auto status = run_gnuplot(script);
  std::error_code ignored;
  fs::remove_all(dir, ignored);
  if (status != 0) {
    error = "gnuplot failed (exit " + std::to_string(status) + "); no plot";
    return false;
  }
  return true;
}

} // namespace heymovie::loadgen
