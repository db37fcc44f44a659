#include "http/server.hpp"

#include "http/listener.hpp"
#include "http/session.hpp"
#include "http/worker.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <future>

namespace heymovie::http {

namespace asio = boost::asio;

server::server(const config::http_settings& settings,
               actors::router_actor router, actors::pipeline_health_ptr health,
               actors::reader_pool_actor readers,
               persistence::movie_catalog& catalog, bool access_log,
               std::string node_name)
    : settings_(settings) {
  for (size_t i = 0; i < settings.threads; ++i) {
    workers_.push_back(std::make_unique<worker>(
        static_cast<uint16_t>(i), settings, router, health, readers, catalog,
        open_connections_, access_log));
    workers_.back()->node_name = node_name;
  }
}

server::~server() {
  stop();
}

uint16_t server::start() {
  auto address = asio::ip::make_address(settings_.address);
  listener_ = std::make_shared<listener>(
      workers_.front()->ioc, asio::ip::tcp::endpoint{address, settings_.port},
      workers_);
  for (auto& w : workers_) {
    w->submitter->start();
    asio::post(w->ioc, [w = w.get()] { w->start_sweeping(); });
    threads_.emplace_back([w = w.get()] {
      auto guard = asio::make_work_guard(w->ioc);
      w->ioc.run();
    });
  }
  asio::post(workers_.front()->ioc, [l = listener_] { l->start(); });
  return listener_->port();
}

template<class F>
void server::on_each_worker(F f) {
  std::vector<std::future<void>> done;
  for (auto& w : workers_) {
    std::packaged_task<void()> task{[&f, w = w.get()] {
      f(*w);
    }};
    done.push_back(task.get_future());
    asio::post(w->ioc, std::move(task));
  }
  for (auto& d : done)
    d.wait();
}

bool server::drain(std::chrono::nanoseconds grace) {
  auto give_up_at = std::chrono::steady_clock::now() + grace;
  asio::post(workers_.front()->ioc, [l = listener_] { l->stop(); });
  on_each_worker([](worker& w) {
    w.draining = true;
    for (auto* s : w.sessions)
      s->finish();
  });
  for (;;) {
    std::atomic<bool> busy{false};
    on_each_worker([&busy](worker& w) {
      // A session whose socket is closed may still be held by a read job
      // stuck at the database: not busy.
      if (w.submitter->pending() > 0 ||
          std::any_of(w.sessions.begin(), w.sessions.end(),
                      [](session* s) { return s->connected(); }))
        busy = true;
    });
    if (!busy)
      return true;
    if (std::chrono::steady_clock::now() >= give_up_at)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  }
}

void server::stop() {
  if (threads_.empty())
    return;
  asio::post(workers_.front()->ioc, [l = listener_] { l->stop(); });
  on_each_worker([](worker& w) {
    w.stop_sweeping();
    w.submitter->stop();
    // Copy: aborting a session may end it, which edits the set.
    std::vector<session*> open(w.sessions.begin(), w.sessions.end());
    for (auto* s : open)
      s->abort();
  });
  // Sessions end once their aborted operations have completed; they must end
  // before the io_context does, as they unregister from their worker.
  for (int i = 0; i < 100; ++i) {
    std::atomic<bool> open{false};
    on_each_worker([&open](worker& w) { open = open || !w.sessions.empty(); });
    if (!open)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  }
  for (auto& w : workers_)
    w->ioc.stop();
  for (auto& t : threads_)
    t.join();
  threads_.clear();
}

} // namespace heymovie::http
