#include "loadgen/request_text.hpp"

#include <charconv>

namespace heymovie::loadgen {

namespace {

template<class Integer>
void append_integer(std::string& out, Integer value) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), value);
  out.append(digits, end);
}

// The body goes into a fixed buffer first, since the header needs its
// length; 128 bytes hold the longest possible body (about 90).
size_t format_body(const rating& r, char* first, char* last) {
  auto put = [&](std::string_view text) {
    for (char c : text)
      *first++ = c;
  };
  auto start = first;
  auto number = [&](auto value) {
    first = std::to_chars(first, last, value).ptr;
  };
  put("{\"user\":");
  number(r.user);
  put(",\"movie\":");
  number(r.movie);
  put(",\"rating\":");
  number(r.half_stars / 2);
  put(r.half_stars % 2 == 0 ? ".0" : ".5");
  if (r.has_timestamp()) {
    put(",\"timestamp\":");
    number(r.timestamp);
  }
  put("}");
  return static_cast<size_t>(first - start);
}

} // namespace

void write_rating_body(const rating& r, std::string& out) {
  char body[128];
  out.assign(body, format_body(r, body, body + sizeof(body)));
}

void write_rating_request(const rating& r, std::string_view host,
                          std::string& out, std::string_view bearer) {
  char body[128];
  auto length = format_body(r, body, body + sizeof(body));
  out.clear();
  out += "POST /rating HTTP/1.1\r\nHost: ";
  out += host;
  if (!bearer.empty()) {
    out += "\r\nAuthorization: Bearer ";
    out += bearer;
  }
  out += "\r\nContent-Type: application/json\r\nContent-Length: ";
  append_integer(out, length);
  out += "\r\n\r\n";
  out.append(body, length);
}

} // namespace heymovie::loadgen
