#include "loadgen/worker.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>

namespace heymovie::loadgen {

using namespace std::chrono_literals;

namespace {

// Only this thread writes the counter: a plain load and store, no locked
// instruction, and other threads still read a whole value.
void bump(std::atomic<uint64_t>& counter) {
  counter.store(counter.load(std::memory_order_relaxed) + 1,
                std::memory_order_relaxed);
}

} // namespace

worker::worker(const client_setup& setup, record_file* record,
               bool per_second_latency)
    : setup_(setup), sweep_timer_(ioc_),
      sweep_interval_(std::clamp<std::chrono::nanoseconds>(setup.timeout / 10,
                                                           10ms, 100ms)),
      stats_(per_second_latency), recorder_(record) {}

void worker::add_client(std::unique_ptr<request_source> source) {
  clients_.push_back(std::make_unique<client>(
      ioc_, setup_, std::move(source), static_cast<client_events&>(*this)));
}

void worker::run(std::function<void()> done) {
  done_ = std::move(done);
  running_ = clients_.size();
  if (running_ == 0) {
    done_();
    return;
  }
  for (auto& c : clients_)
    c->start();
  sweep();
  ioc_.run();
  recorder_.flush();
}

void worker::stop() {
  boost::asio::post(ioc_, [this] {
    for (auto& c : clients_)
      c->stop();
  });
}

void worker::abort() {
  boost::asio::post(ioc_, [this] {
    for (auto& c : clients_)
      c->abort();
  });
}

void worker::on_request_done(const rating& r, int status,
                             steady_clock::time_point started,
                             steady_clock::time_point now) {
  stats_.add(status, now - started, now - setup_.start);
  recorder_.add(r, status);
  bump(finished_);
  if (status >= 200 && status < 300)
    bump(ok_);
}

void worker::on_failure(failure_kind kind) {
  stats_.add_failure(kind);
}

void worker::on_client_done() {
  if (--running_ > 0)
    return;
  sweep_timer_.cancel();
  done_();
}

void worker::sweep() {
  sweep_timer_.expires_after(sweep_interval_);
  sweep_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || running_ == 0)
      return;
    auto now = steady_clock::now();
    for (auto& c : clients_)
      c->check_deadline(now);
    sweep();
  });
}

} // namespace heymovie::loadgen
