#include "loadgen/run_control.hpp"

#include <boost/asio/post.hpp>

#include <csignal>
#include <cstdio>

namespace heymovie::loadgen {

using namespace std::chrono_literals;

run_control::run_control(std::vector<worker*> workers,
                         std::optional<std::chrono::nanoseconds> duration,
                         bool progress)
    : signals_(ioc_, SIGINT, SIGTERM), deadline_(ioc_), progress_(ioc_),
      workers_(std::move(workers)), duration_(duration),
      show_progress_(progress), running_(workers_.size()) {}

void run_control::worker_done() {
  boost::asio::post(ioc_, [this] {
    if (--running_ > 0)
      return;
    signals_.cancel();
    deadline_.cancel();
    progress_.cancel();
  });
}

void run_control::run(steady_clock::time_point start) {
  start_ = start;
  await_signal();
  if (duration_) {
    deadline_.expires_at(start + *duration_);
    deadline_.async_wait([this](boost::system::error_code ec) {
      if (!ec)
        stop_all("duration");
    });
  }
  if (show_progress_)
    tick();
  ioc_.run();
}

void run_control::stop_all(const std::string& why) {
  if (!stopping_)
    stopped_by_ = why;
  stopping_ = true;
  for (auto* w : workers_)
    w->stop();
}

void run_control::await_signal() {
  signals_.async_wait([this](boost::system::error_code ec, int) {
    if (ec)
      return;
    if (stopping_) {
      std::fprintf(stderr, "loadgen: giving up the requests in flight\n");
      for (auto* w : workers_)
        w->abort();
      return;
    }
    std::fprintf(stderr, "loadgen: stopping; waiting for the requests in "
                         "flight (signal again to give them up)\n");
    stop_all("signal");
    await_signal();
  });
}

void run_control::tick() {
  auto elapsed = steady_clock::now() - start_;
  auto next_second = (elapsed / 1s + 1) * 1s;
  progress_.expires_at(start_ + next_second);
  progress_.async_wait([this](boost::system::error_code ec) {
    if (ec)
      return;
    uint64_t finished = 0;
    uint64_t ok = 0;
    for (auto* w : workers_) {
      finished += w->finished();
      ok += w->acknowledged();
    }
    auto second = (steady_clock::now() - start_) / 1s;
    std::fprintf(stderr, "[%4lld s] %8llu req/s  %8llu 2xx/s  %8llu other\n",
                 static_cast<long long>(second),
                 static_cast<unsigned long long>(finished - last_finished_),
                 static_cast<unsigned long long>(ok - last_ok_),
                 static_cast<unsigned long long>((finished - last_finished_) -
                                                 (ok - last_ok_)));
    last_finished_ = finished;
    last_ok_ = ok;
    tick();
  });
}

} // namespace heymovie::loadgen
