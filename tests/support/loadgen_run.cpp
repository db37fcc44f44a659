#include "loadgen_run.hpp"

#include "service_process.hpp"
#include "test_database.hpp"
#include "tokens.hpp"

#include <csignal>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <unistd.h>

namespace heymovie::testing {

using namespace std::chrono_literals;

loadgen_run::loadgen_run(uint16_t port, std::vector<std::string> extra)
    : record_(temp_path("record.csv")), summary_(temp_path("summary.json")) {
  std::remove(record_.c_str());
  std::vector<std::string> args{"run",
                                "--url=http://127.0.0.1:" +
                                    std::to_string(port),
                                "--synthetic",
                                "--movies=" + sample_movies_csv(),
                                "--record=" + record_,
                                "--json=" + summary_,
                                "--token-secret=" + test_secret_file()};
  args.insert(args.end(), extra.begin(), extra.end());
  pid_ = spawn_program(HEYMOVIE_LOADGEN, args, temp_path("loadgen.log"));
}

loadgen_run::~loadgen_run() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    wait_program(pid_, 10s);
  }
}

nlohmann::json loadgen_run::finish() {
  auto status = wait_program(pid_, 120s);
  pid_ = -1;
  if (status != 0)
    throw std::runtime_error("loadgen run exited with " +
                             std::to_string(status));
  std::ifstream in{summary_};
  return nlohmann::json::parse(in);
}

int loadgen_run::verify(const std::string& db_url) const {
  return wait_program(
      spawn_program(HEYMOVIE_LOADGEN,
                    {"verify", "--record=" + record_, "--db=" + db_url}),
      120s);
}

int64_t status_count(const nlohmann::json& summary, const std::string& code) {
  auto& s = summary["status"];
  return s.contains(code) ? s[code].get<int64_t>() : 0;
}

} // namespace heymovie::testing
