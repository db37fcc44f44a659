#include "http/server.hpp"

#include "http/listener.hpp"
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
               std::string node_name, const access_settings& access)
    : settings_(settings) {
  for (size_t i = 0; i < settings.threads; ++i) {
    workers_.push_back(std::make_unique<worker>(
        static_cast<uint16_t>(i), settings, router, health, readers, catalog,
        open_connections_, access_log, access));
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
auto server::on_each_worker(F f) {
  using result = decltype(f(std::declval<worker&>()));
  std::vector<std::future<result>> done;
  for (auto& w : workers_) {
    std::packaged_task<result()> task{[&f, w = w.get()] {
      return f(*w);
    }};
    done.push_back(task.get_future());
    asio::post(w->ioc, std::move(task));
  }
  std::vector<result> results;
  for (auto& d : done)
    results.push_back(d.get());
  return results;
}

bool server::drain(std::chrono::nanoseconds grace) {
  auto give_up_at = std::chrono::steady_clock::now() + grace;
  // The listener stops first, and for sure: a connection it accepted hands
  // its session to a worker in a posted handler, which must run before that
  // worker drains, or the session would never be finished.
  std::packaged_task<void()> stop_listening{[l = listener_] {
    l->stop();
  }};
  auto listener_stopped = stop_listening.get_future();
  asio::post(workers_.front()->ioc, std::move(stop_listening));
  listener_stopped.wait();
  auto drained = on_each_worker([](worker& w) { return w.drain(); });
  return std::all_of(drained.begin(), drained.end(), [&](auto& d) {
    return d.wait_until(give_up_at) == std::future_status::ready;
  });
}

void server::stop() {
  if (threads_.empty())
    return;
  asio::post(workers_.front()->ioc, [l = listener_] { l->stop(); });
  auto ended = on_each_worker([](worker& w) { return w.close(); });
  // Sessions end once their aborted operations have completed; they must end
  // before the io_context does, as they unregister from their worker. One
  // held by a read job stuck at the database is given a second.
  auto give_up_at = std::chrono::steady_clock::now() + std::chrono::seconds{1};
  for (auto& e : ended)
    e.wait_until(give_up_at);
  for (auto& w : workers_)
    w->ioc.stop();
  for (auto& t : threads_)
    t.join();
  threads_.clear();
}

} // namespace heymovie::http
