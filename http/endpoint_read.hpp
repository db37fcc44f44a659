// A read endpoint's query as a job for the reader pool: it runs on a reader's
// thread (never an Asio thread) against the read_queries interface, renders
// the body there, and posts the answer back to the session's thread.

#pragma once

#include "actors/messages.hpp"
#include "http/responses.hpp"
#include "http/routes.hpp"
#include "persistence/read_queries.hpp"

#include <boost/asio/io_context.hpp>

#include <memory>

namespace heymovie::http {

class session;

class endpoint_read : public actors::read_job {
public:
  endpoint_read(const route& what, std::shared_ptr<session> owner,
                uint64_t slot, const response_context& ctx,
                std::chrono::steady_clock::time_point deadline,
                boost::asio::io_context& ioc);

  const char* name() const noexcept override;
  std::chrono::steady_clock::time_point deadline() const noexcept override {
    return deadline_;
  }
  std::optional<persistence::db_error>
  run(persistence::read_queries& db) override;
  void fail(const persistence::db_error& err) override;
  void refuse() override;

private:
  persistence::db_result<response> render(persistence::read_queries& db);
  void answer(response res);

  route route_;
  std::shared_ptr<session> owner_;
  uint64_t slot_;
  response_context ctx_;
  std::chrono::steady_clock::time_point deadline_;
  boost::asio::io_context& ioc_;
};

} // namespace heymovie::http
