#include "node/service_manager.hpp"

#include <spdlog/spdlog.h>

#include <cstring>
#include <systemd/sd-daemon.h>

namespace heymovie::node {

namespace {

void notify(const char* state) {
  // 0: no manager asked for notifications.
  if (int rc = sd_notify(0, state); rc < 0)
    spdlog::warn("could not tell the service manager {}: {}", state,
                 std::strerror(-rc));
}

} // namespace

void tell_manager_ready() {
  notify("READY=1\nSTATUS=serving");
}

void tell_manager_stopping() {
  notify("STOPPING=1\nSTATUS=draining");
}

} // namespace heymovie::node
