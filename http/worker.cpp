#include "http/worker.hpp"

#include "http/session.hpp"

#include <algorithm>
#include <vector>

namespace heymovie::http {

namespace {

config::duration sweep_period_for(const config::http_settings& settings) {
  // A quarter of the shortest timeout, so that none overshoots by more.
  auto shortest = std::min(settings.header_timeout, settings.idle_timeout);
  return std::clamp<config::duration>(
      shortest / 4, std::chrono::milliseconds{20}, std::chrono::seconds{1});
}

config::duration read_sweep_period_for(const config::http_settings& settings) {
  // As for ratings (rating_submitter): within 5 % of the deadline.
  return std::clamp<config::duration>(settings.request_deadline / 20,
                                      std::chrono::milliseconds{1},
                                      std::chrono::milliseconds{50});
}

} // namespace

worker::worker(uint16_t id, const config::http_settings& settings,
               actors::router_actor router, actors::pipeline_health_ptr health,
               actors::reader_pool_actor readers,
               persistence::movie_catalog& catalog,
               std::atomic<size_t>& open_connections, bool access_log,
               const access_settings& access)
    : settings(settings), sweep_period(sweep_period_for(settings)),
      read_sweep_period(read_sweep_period_for(settings)),
      pipeline(settings, catalog, std::move(health), access_log, access),
      submitter(std::make_shared<rating_submitter>(
          id, ioc, std::move(router), catalog, settings.request_deadline,
          [this] { report_if_drained(); })),
      readers(std::move(readers)), access_log(access_log),
      open_connections(open_connections) {
  // nop
}

void worker::start_sweeping() {
  sweep_sessions();
  sweep_read_deadlines();
}

void worker::sweep_sessions() {
  sweep_timer_.expires_after(sweep_period);
  sweep_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec)
      return;
    auto now = std::chrono::steady_clock::now();
    // A copy: a check may end a session, which edits the set.
    std::vector<session*> open(sessions.begin(), sessions.end());
    for (auto* s : open)
      s->check_timeouts(now);
    sweep_sessions();
  });
}

void worker::sweep_read_deadlines() {
  read_sweep_timer_.expires_after(read_sweep_period);
  read_sweep_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec)
      return;
    auto now = std::chrono::steady_clock::now();
    while (!read_deadlines_.empty() && read_deadlines_.front().first <= now) {
      auto reader = read_deadlines_.front().second.lock();
      read_deadlines_.pop_front();
      if (reader)
        reader->expire_reads(now);
    }
    sweep_read_deadlines();
  });
}

void worker::watch_read_deadline(std::chrono::steady_clock::time_point deadline,
                                 std::weak_ptr<session> reader) {
  read_deadlines_.emplace_back(deadline, std::move(reader));
}

void worker::stop_sweeping() {
  sweep_timer_.cancel();
  read_sweep_timer_.cancel();
}

std::future<void> worker::drain() {
  draining = true;
  drained_.emplace();
  auto drained = drained_->get_future();
  // A copy: finishing may end a session, which edits the set.
  std::vector<session*> open(sessions.begin(), sessions.end());
  for (auto* s : open)
    s->finish();
  report_if_drained();
  return drained;
}

void worker::report_if_drained() {
  if (!drained_ || submitter->pending() > 0 || connected_sessions > 0)
    return;
  drained_->set_value();
  drained_.reset();
}

std::future<void> worker::close() {
  stop_sweeping();
  submitter->stop();
  all_ended.emplace();
  auto ended = all_ended->get_future();
  // A copy: aborting a session may end it, which edits the set.
  std::vector<session*> open(sessions.begin(), sessions.end());
  for (auto* s : open)
    s->abort();
  if (sessions.empty()) {
    all_ended->set_value();
    all_ended.reset();
  }
  return ended;
}

void worker::disconnected() {
  --connected_sessions;
  report_if_drained();
}

void worker::ended(session* s) {
  sessions.erase(s);
  if (sessions.empty() && all_ended) {
    all_ended->set_value();
    all_ended.reset();
  }
}

} // namespace heymovie::http
