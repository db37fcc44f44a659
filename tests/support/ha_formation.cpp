#include "ha_formation.hpp"

#include "private_cluster.hpp"

#include <cstdlib>
#include <stdexcept>
#include <unistd.h>

namespace heymovie::testing {

namespace {

const std::string script = HEYMOVIE_SOURCE_DIR "/tools/postgres ha ";

} // namespace

ha_formation::ha_formation()
    : home_("/var/tmp/heymovie-test-ha-" + std::to_string(getpid())) {
  // Three ports from a base of this process's own; the script refuses ports
  // in use, then the next base is tried.
  for (int attempt = 0; attempt < 20; ++attempt) {
    // Below the ephemeral range (32768-), where clients take their ports.
    auto base = 20000 + (getpid() * 7 + attempt * 10) % 12000;
    environment_ = "HEYMOVIE_PG_HA_HOME=" + home_ +
                   " HEYMOVIE_PG_HA_PORT=" + std::to_string(base) + " ";
    if (std::system((environment_ + script + "start >&2").c_str()) == 0) {
      url_ = ha("url");
      return;
    }
    std::system((environment_ + script + "stop >&2; rm -rf " + home_).c_str());
  }
  throw std::runtime_error("cannot start a pg_auto_failover formation");
}

ha_formation::~ha_formation() {
  std::system((environment_ + script + "stop >&2").c_str());
  std::system(("rm -rf " + home_).c_str());
}

std::string ha_formation::ha(const std::string& command) const {
  return shell_output(environment_ + script + command);
}

} // namespace heymovie::testing
