#include "http/worker.hpp"

#include "http/session.hpp"

#include <algorithm>
#include <vector>

namespace heymovie::http {

namespace {

config::duration sweep_period_for(const config::http_settings& settings) {
  // A quarter of the shortest connection timeout, so that none overshoots by
  // more, and a twentieth of the request deadline, which reads expire early
  // by (their 503 is then not late, and 5 % early at most for deadlines of
  // 200 ms and more).
  auto period =
      std::min({settings.header_timeout / 4, settings.idle_timeout / 4,
                settings.request_deadline / 20});
  return std::clamp<config::duration>(period, std::chrono::milliseconds{10},
                                      std::chrono::seconds{1});
}

} // namespace

worker::worker(uint16_t id, const config::http_settings& settings,
               actors::router_actor router, actors::pipeline_health_ptr health,
               actors::reader_pool_actor readers,
               persistence::movie_catalog& catalog,
               std::atomic<size_t>& open_connections, bool access_log)
    : settings(settings), sweep_period(sweep_period_for(settings)),
      parser(catalog),
      submitter(std::make_shared<rating_submitter>(
          id, ioc, std::move(router), catalog, settings.request_deadline)),
      health(std::move(health)), readers(std::move(readers)),
      access_log(access_log), open_connections(open_connections) {
  // nop
}

void worker::start_sweeping() {
  sweep_timer_.expires_after(sweep_period);
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
