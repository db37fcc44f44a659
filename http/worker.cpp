#include "http/worker.hpp"

#include "http/session.hpp"

#include <algorithm>
#include <vector>

namespace heymovie::http {

worker::worker(uint16_t id, const config::http_settings& settings,
               actors::router_actor router, actors::pipeline_health_ptr health,
               actors::reader_pool_actor readers,
               persistence::movie_catalog& catalog,
               std::atomic<size_t>& open_connections, bool access_log)
    : settings(settings), parser(catalog),
      submitter(std::make_shared<rating_submitter>(
          id, ioc, std::move(router), catalog, settings.request_deadline)),
      health(std::move(health)), readers(std::move(readers)),
      access_log(access_log), open_connections(open_connections) {
  // nop
}

void worker::start_sweeping() {
  // A quarter of the shortest timeout, so that none overshoots by more.
  auto shortest = std::min(settings.header_timeout, settings.idle_timeout);
  auto period = std::clamp<config::duration>(
      shortest / 4, std::chrono::milliseconds{20}, std::chrono::seconds{1});
  sweep_timer_.expires_after(period);
  sweep_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec)
      return;
    auto now = std::chrono::steady_clock::now();
    // A copy: a check may end a session, which edits the set.
    std::vector<session*> open(sessions.begin(), sessions.end());
    for (auto* s : open)
      s->check_timeouts(now);
    start_sweeping();
  });
}

void worker::stop_sweeping() {
  sweep_timer_.cancel();
}

} // namespace heymovie::http
