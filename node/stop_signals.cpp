#include "node/stop_signals.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <spdlog/spdlog.h>

#include <pthread.h>

namespace heymovie::node {

stop_signals::stop_signals() {
  sigemptyset(&set_);
  sigaddset(&set_, SIGINT);
  sigaddset(&set_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set_, nullptr);
}

void stop_signals::wait() {
  pthread_sigmask(SIG_UNBLOCK, &set_, nullptr);
  boost::asio::io_context ioc;
  boost::asio::signal_set signals{ioc, SIGINT, SIGTERM};
  signals.async_wait([](const boost::system::error_code&, int sig) {
    spdlog::info("signal {}: draining", sig);
  });
  ioc.run();
}

} // namespace heymovie::node
