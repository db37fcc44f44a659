// Reads an HTTP response for its status alone: a Beast parser whose hooks
// keep the status code and skip headers and body, so reading a response
// allocates nothing (beast::http::parser would build a header map and a body
// string for each one).

#pragma once

#include <boost/beast/http/basic_parser.hpp>

#include <cstdint>
#include <string_view>

namespace heymovie::loadgen {

class response_status final : public boost::beast::http::basic_parser<false> {
public:
  response_status() = default;

  /// The status code; 0 until the status line has been read.
  int status() const { return status_; }

private:
  using error_code = boost::beast::error_code;
  using field = boost::beast::http::field;
  using verb = boost::beast::http::verb;

  void on_request_impl(verb, std::string_view, std::string_view, int,
                       error_code&) override {}

  void on_response_impl(int code, std::string_view, int, error_code&) override {
    status_ = code;
  }

  void on_field_impl(field, std::string_view, std::string_view,
                     error_code&) override {}

  void on_header_impl(error_code&) override {}

  void on_body_init_impl(const boost::optional<std::uint64_t>&,
                         error_code&) override {}

  std::size_t on_body_impl(std::string_view body, error_code&) override {
    return body.size();
  }

  void on_chunk_header_impl(std::uint64_t, std::string_view,
                            error_code&) override {}

  std::size_t on_chunk_body_impl(std::uint64_t, std::string_view body,
                                 error_code&) override {
    return body.size();
  }

  void on_finish_impl(error_code&) override {}

  int status_ = 0;
};

} // namespace heymovie::loadgen
