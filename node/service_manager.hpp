// Tells the service manager (systemd, for a unit of Type=notify) how the
// process is doing: ready once it listens, stopping once it drains. Without
// a manager watching (no NOTIFY_SOCKET) these do nothing.

#pragma once

namespace heymovie::node {

/// READY=1: the listeners are open; dependent units may start.
void tell_manager_ready();

/// STOPPING=1: draining; the manager waits for the exit.
void tell_manager_stopping();

} // namespace heymovie::node
