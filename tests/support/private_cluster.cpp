#include "private_cluster.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <unistd.h>

namespace heymovie::testing {

namespace {

const std::string script = HEYMOVIE_SOURCE_DIR "/tools/postgres";

} // namespace

std::string shell_output(const std::string& command) {
  auto* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr)
    throw std::runtime_error("cannot run " + command);
  std::string out;
  std::array<char, 512> buf{};
  while (auto n = fread(buf.data(), 1, buf.size(), pipe))
    out.append(buf.data(), n);
  if (pclose(pipe) != 0)
    throw std::runtime_error("failed: " + command);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r'))
    out.pop_back();
  return out;
}

private_cluster::private_cluster()
    : home_("/tmp/heymovie-test-pg-" + std::to_string(getpid()) + "-" +
            std::to_string(reinterpret_cast<uintptr_t>(this) % 100000)) {
  start();
  url_ = shell_output("HEYMOVIE_PG_HOME=" + home_ + " " + script + " url");
}

private_cluster::~private_cluster() {
  run("stop");
  std::system(("rm -rf " + home_).c_str());
}

int private_cluster::run(const std::string& command) const {
  return std::system(
      ("HEYMOVIE_PG_HOME=" + home_ + " " + script + " " + command + " >&2")
          .c_str());
}

void private_cluster::start() {
  if (run("start") != 0)
    throw std::runtime_error("cannot start a PostgreSQL cluster in " + home_);
}

void private_cluster::stop() {
  if (run("stop") != 0)
    throw std::runtime_error("cannot stop the PostgreSQL cluster in " + home_);
}

} // namespace heymovie::testing
