#include "http/request_framing.hpp"

#include "http/versions.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/rfc7230.hpp>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace heymovie::http {

namespace bhttp = boost::beast::http;

std::optional<transfer_coding_error>
check_transfer_coding(const bhttp::fields& fields) {
  auto [first, last] = fields.equal_range(bhttp::field::transfer_encoding);
  if (first == last)
    return std::nullopt;
  // Several fields form one list, in order (RFC 9110 5.3).
  std::vector<std::string> codings;
  for (auto field = first; field != last; ++field)
    for (auto& coding : bhttp::ext_list{field->value()})
      codings.emplace_back(coding.first);
  auto is_chunked = [](const std::string& coding) {
    return boost::beast::iequals(coding, "chunked");
  };
  if (codings.empty() || !is_chunked(codings.back()) ||
      std::count_if(codings.begin(), codings.end(), is_chunked) > 1)
    return transfer_coding_error{
        {api_errc::bad_request,
         "Transfer-Encoding must end with chunked, applied once: the body's "
         "length is unknown"},
        true};
  if (codings.size() > 1)
    return transfer_coding_error{
        {api_errc::not_implemented, "unsupported transfer coding " +
                                        codings.front() +
                                        ": only chunked is decoded"},
        false};
  return std::nullopt;
}

std::optional<api_error> check_host(const bhttp::fields& fields,
                                    unsigned version) {
  auto hosts = fields.count(bhttp::field::host);
  if (hosts > 1)
    return api_error{api_errc::bad_request, "more than one Host header"};
  if (hosts == 0) {
    if (version >= http_1_1)
      return api_error{api_errc::bad_request,
                       "an HTTP/1.1 request must have a Host header"};
    return std::nullopt;
  }
  // uri-host [":" port] (RFC 3986 3.2.2): the characters of a registered
  // name, an IP literal or a port; the grammar's finer points are the
  // client's business.
  auto host = fields[bhttp::field::host];
  auto allowed = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view{"-._~%!$&'()*+,;=:[]"}.find(c) !=
               std::string_view::npos;
  };
  if (!std::all_of(host.begin(), host.end(), allowed))
    return api_error{api_errc::bad_request, "the Host header is not a host"};
  return std::nullopt;
}

bool keeps_alive(const bhttp::fields& fields, unsigned version) {
  bool close = false;
  bool keep_alive = false;
  auto [first, last] = fields.equal_range(bhttp::field::connection);
  for (auto field = first; field != last; ++field) {
    bhttp::token_list options{field->value()};
    close = close || options.exists("close");
    keep_alive = keep_alive || options.exists("keep-alive");
  }
  // HTTP/1.0 knows no transfer codings: its framing is suspect (RFC 9112
  // 6.1).
  if (version < http_1_1 && fields.count(bhttp::field::transfer_encoding) > 0)
    return false;
  return !close && (version >= http_1_1 || keep_alive);
}

bool expects_continue(const bhttp::fields& fields, unsigned version) {
  if (version < http_1_1)
    return false;
  auto [first, last] = fields.equal_range(bhttp::field::expect);
  return std::any_of(first, last, [](auto& field) {
    return bhttp::token_list{field.value()}.exists("100-continue");
  });
}

std::string_view trim_whitespace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

} // namespace heymovie::http
