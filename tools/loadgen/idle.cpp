#include "loadgen/idle.hpp"

#include "loadgen/file_limit.hpp"
#include "loadgen/response_status.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>

#include <csignal>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>

namespace heymovie::loadgen {

namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

const std::vector<option_spec> table = {
    {"url", "URL", "server, http://host:port (default http://127.0.0.1:8080)"},
    {"connections", "N", "connections to open (default 100)"},
    {"hold", "SECONDS", "how long to hold them (default 10)"},
    {"probe", "",
     "GET /healthz on each first (default true; --probe=false sends nothing at "
     "all)"},
    {"timeout", "SECONDS", "to connect and probe one connection (default 10)"},
};

constexpr size_t parallel_connects = 256;

struct idle_connection {
  explicit idle_connection(asio::io_context& ioc) : socket(ioc), timer(ioc) {}

  tcp::socket socket;
  asio::steady_timer timer;
  boost::beast::flat_buffer buffer;
  std::optional<response_status> parser;
  char byte = 0;
  bool open = false;
};

// Opens the connections, then watches them: a read that completes during
// the hold means the server closed the connection (or sent something).
class idle_pool {
public:
  idle_pool(asio::io_context& ioc, const idle_options& options,
            tcp::endpoint server)
      : ioc_(ioc), options_(options), server_(server), hold_(ioc),
        signals_(ioc, SIGINT, SIGTERM) {
    request_ = "GET /healthz HTTP/1.1\r\nHost: " + options.server.authority() +
               "\r\n\r\n";
  }

  void start() {
    signals_.async_wait([this](error_code ec, int) {
      if (!ec)
        finish_hold();
    });
    for (size_t i = 0; i < options_.connections; ++i)
      connections_.push_back(std::make_unique<idle_connection>(ioc_));
    for (size_t i = 0; i < parallel_connects; ++i)
      open_next();
    if (connections_.empty())
      all_settled();
  }

private:
  void open_next() {
    if (holding_done_ || next_ == connections_.size())
      return;
    auto& c = *connections_[next_++];
    ++pending_;
    c.timer.expires_after(options_.timeout);
    c.timer.async_wait([&c](error_code ec) {
      if (!ec)
        c.socket.close(ec); // too slow: the pending step fails
    });
    c.socket.async_connect(server_, [this, &c](error_code ec) {
      if (ec)
        return settle(c, false, failure(ec));
      if (!options_.probe)
        return settle(c, true, "connected");
      probe(c);
    });
  }

  void probe(idle_connection& c) {
    asio::async_write(
        c.socket, asio::buffer(request_), [this, &c](error_code ec, size_t) {
          if (ec)
            return settle(c, false, failure(ec));
          c.parser.emplace();
          boost::beast::http::async_read(
              c.socket, c.buffer, *c.parser,
              [this, &c](error_code ec, size_t) { on_probe(c, ec); });
        });
  }

  // The timer closes the socket of a step that takes too long.
  static std::string failure(error_code ec) {
    return ec == asio::error::operation_aborted ? "timeout" : ec.message();
  }

  void on_probe(idle_connection& c, error_code ec) {
    if (ec)
      return settle(c, false, failure(ec));
    auto status = c.parser->status();
    auto kept = status == 200 && c.parser->keep_alive();
    settle(c, kept, "HTTP " + std::to_string(status));
  }

  void settle(idle_connection& c, bool open, const std::string& outcome) {
    --pending_;
    if (holding_done_)
      return; // ended by a signal while connecting
    c.timer.cancel();
    c.open = open;
    ++outcomes_[outcome];
    error_code ignored;
    if (open)
      watch(c);
    else
      c.socket.close(ignored);
    open_next();
    if (pending_ == 0 && next_ == connections_.size())
      all_settled();
  }

  void watch(idle_connection& c) {
    c.socket.async_read_some(
        asio::buffer(&c.byte, 1), [this, &c](error_code ec, size_t) {
          if (ec == asio::error::operation_aborted && holding_done_)
            return;
          c.open = false;
          ++closed_during_hold_;
        });
  }

  void all_settled() {
    size_t open = 0;
    for (auto& c : connections_)
      open += c->open;
    std::string outcomes;
    for (auto& [outcome, count] : outcomes_)
      outcomes += (outcomes.empty() ? "" : ", ") + outcome + ": " +
                  std::to_string(count);
    std::printf("idle        %zu connections to %s (%s); %zu open, holding "
                "for %.1f s\n",
                connections_.size(), options_.server.authority().c_str(),
                outcomes.c_str(), open,
                std::chrono::duration<double>(options_.hold).count());
    std::fflush(stdout);
    hold_.expires_after(options_.hold);
    hold_.async_wait([this](error_code ec) {
      if (!ec)
        finish_hold();
    });
  }

  void finish_hold() {
    if (holding_done_)
      return;
    holding_done_ = true;
    size_t open = 0;
    for (auto& c : connections_)
      open += c->open;
    std::printf("open at end %zu of %zu (closed by the server during the "
                "hold: %zu)\n",
                open, connections_.size(), closed_during_hold_);
    error_code ignored;
    hold_.cancel();
    signals_.cancel();
    for (auto& c : connections_) {
      c->timer.cancel();
      c->socket.close(ignored);
    }
  }

  asio::io_context& ioc_;
  const idle_options& options_;
  tcp::endpoint server_;
  asio::steady_timer hold_;
  asio::signal_set signals_;
  std::string request_;
  std::vector<std::unique_ptr<idle_connection>> connections_;
  size_t next_ = 0;
  size_t pending_ = 0;
  std::map<std::string, size_t> outcomes_;
  size_t closed_during_hold_ = 0;
  bool holding_done_ = false;
};

} // namespace

const std::vector<option_spec>& idle_option_table() {
  return table;
}

idle_options parse_idle_options(const command_line& args) {
  idle_options out;
  out.server = url_option(args, out.server);
  out.connections =
      static_cast<size_t>(args.integer("connections", 100, 1, 10000000));
  out.hold = seconds_to_duration(args.number("hold", 10, 0, 1e7));
  out.probe = !args.has("probe") || args.flag("probe");
  out.timeout = seconds_to_duration(args.number("timeout", 10, 0.001, 86400));
  return out;
}

int hold_idle(const idle_options& options) {
  ensure_file_limit(options.connections, 16);
  asio::io_context ioc{1};
  tcp::resolver resolver{ioc};
  error_code ec;
  auto results = resolver.resolve(options.server.host,
                                  std::to_string(options.server.port), ec);
  if (ec || results.empty()) {
    std::fprintf(stderr, "loadgen: cannot resolve %s: %s\n",
                 options.server.host.c_str(), ec.message().c_str());
    return 1;
  }
  idle_pool pool{ioc, options, results.begin()->endpoint()};
  pool.start();
  ioc.run();
  return 0;
}

} // namespace heymovie::loadgen
