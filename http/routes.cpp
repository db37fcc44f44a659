#include "http/routes.hpp"

#include <boost/beast/core/string.hpp>

#include <charconv>
#include <limits>
#include <string>
#include <vector>

namespace heymovie::http {

namespace bhttp = boost::beast::http;

namespace {

constexpr int32_t max_id = std::numeric_limits<int32_t>::max();

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (;;) {
    auto end = s.find(sep, start);
    parts.push_back(s.substr(start, end - start));
    if (end == std::string_view::npos)
      return parts;
    start = end + 1;
  }
}

template<class T>
bool parse_number(std::string_view text, T min, T max, T& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size() && out >= min &&
         out <= max;
}

/// The path and query of a target in absolute form (`http://host/path?q`),
/// which a server must accept (RFC 9112 3.2.2); other targets as they are.
std::string_view origin_form(std::string_view target) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (!boost::beast::iequals(target.substr(0, scheme.size()), scheme))
      continue;
    auto rest = target.substr(scheme.size());
    auto path = rest.find_first_of("/?");
    // Without a path, the root (no route of ours).
    if (path == std::string_view::npos || rest[path] != '/')
      return "/";
    return rest.substr(path);
  }
  return target;
}

route_error bad(std::string_view name, std::string message) {
  return {{api_errc::bad_request, std::move(message)}, name, {}};
}

/// A query parameter the route knows: its name, range and destination.
template<class T>
struct parameter {
  std::string_view key;
  T min;
  T max;
  T* out;
};

/// Parses `query` (`a=1&b=2`) into the given parameters; anything else, a
/// repeated key or a value out of range is an error.
template<class A, class B>
std::variant<std::monostate, route_error>
parse_query(std::string_view name, std::string_view query, parameter<A> a,
            parameter<B> b) {
  if (query.empty())
    return std::monostate{};
  bool seen_a = false;
  bool seen_b = false;
  for (auto pair : split(query, '&')) {
    auto eq = pair.find('=');
    auto key = pair.substr(0, eq);
    auto value =
        eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    auto check = [&](auto& p, bool& seen) -> std::optional<route_error> {
      if (seen)
        return bad(name, "query parameter " + std::string{p.key} +
                             " appears more than once");
      seen = true;
      if (!parse_number(value, p.min, p.max, *p.out))
        return bad(name, std::string{p.key} + " must be an integer in " +
                             std::to_string(p.min) + ".." +
                             std::to_string(p.max));
      return std::nullopt;
    };
    std::optional<route_error> problem;
    if (key == a.key)
      problem = check(a, seen_a);
    else if (key == b.key)
      problem = check(b, seen_b);
    else
      problem =
          bad(name, "unknown query parameter; expected " + std::string{a.key} +
                        " and " + std::string{b.key});
    if (problem)
      return *problem;
  }
  return std::monostate{};
}

std::variant<route, route_error> only(bhttp::verb method, bhttp::verb wanted,
                                      std::string_view allow, route r) {
  if (method != wanted)
    return route_error{
        {api_errc::method_not_allowed,
         std::string{r.name} + " accepts " + std::string{allow} + " only"},
        r.name,
        allow};
  return r;
}

/// What answers GET answers HEAD too (RFC 9110 9.3.2); the session sends
/// the answer without its body.
std::variant<route, route_error> get(bhttp::verb method, route r) {
  if (method == bhttp::verb::head)
    return r;
  return only(method, bhttp::verb::get, "GET, HEAD", r);
}

std::variant<route, route_error>
with_id(bhttp::verb method, route r, std::string_view text, const char* what) {
  if (!parse_number(text, int32_t{1}, max_id, r.id))
    return bad(r.name,
               std::string{what} + " id must be an integer in 1..2147483647");
  return get(method, r);
}

/// A read without parameters refuses any, as the others refuse unknown ones.
std::variant<route, route_error>
without_query(std::string_view query,
              std::variant<route, route_error> matched) {
  auto* r = std::get_if<route>(&matched);
  if (r && !query.empty())
    return bad(r->name, std::string{r->name} + " takes no query parameters");
  return matched;
}

} // namespace

std::variant<route, route_error> match_route(bhttp::verb method,
                                             std::string_view target) {
  target = origin_form(target);
  auto question = target.find('?');
  auto path = target.substr(0, question);
  auto query = question == std::string_view::npos ? std::string_view{}
                                                  : target.substr(question + 1);
  auto parts = split(path, '/');
  // parts[0] is the empty string before the leading slash.
  if (parts.size() < 2 || !parts[0].empty())
    return route_error{{api_errc::not_found, "no such resource"}, "other", {}};
  auto first = parts[1];
  if (parts.size() == 2) {
    if (first == "rating")
      return only(method, bhttp::verb::post, "POST",
                  {route_kind::rating, "/rating"});
    if (first == "healthz")
      return get(method, {route_kind::healthz, "/healthz"});
    if (first == "readyz")
      return get(method, {route_kind::readyz, "/readyz"});
    if (first == "openapi.json")
      return get(method, {route_kind::openapi, "/openapi.json"});
  }
  if (first == "movies" && parts.size() == 3 && parts[2] == "top") {
    route r{route_kind::top_movies, "/movies/top"};
    r.limit = top_limit_default;
    r.min_votes = min_votes_default;
    auto parsed = parse_query<int32_t, int64_t>(
        r.name, query, {"limit", 1, top_limit_max, &r.limit},
        {"min_votes", 0, max_id, &r.min_votes});
    if (auto* err = std::get_if<route_error>(&parsed))
      return *err;
    return get(method, r);
  }
  if (first == "movies" && parts.size() == 3)
    return without_query(query,
                         with_id(method, {route_kind::movie, "/movies/{id}"},
                                 parts[2], "movie"));
  if (first == "movies" && parts.size() == 4 && parts[3] == "rolling-avg")
    return without_query(query, with_id(method,
                                        {route_kind::rolling_average,
                                         "/movies/{id}/rolling-avg"},
                                        parts[2], "movie"));
  if (first == "ratings" && parts.size() == 4) {
    route r{route_kind::user_rating, "/ratings/{user}/{movie}"};
    if (!parse_number(parts[3], int32_t{1}, max_id, r.movie))
      return bad(r.name, "movie id must be an integer in 1..2147483647");
    return without_query(query, with_id(method, r, parts[2], "user"));
  }
  if (first == "users" && parts.size() == 4 && parts[3] == "ratings") {
    route r{route_kind::user_ratings, "/users/{user}/ratings"};
    r.limit = page_limit_default;
    auto parsed = parse_query<int32_t, int32_t>(
        r.name, query, {"limit", 1, page_limit_max, &r.limit},
        {"after", 0, max_id, &r.after});
    if (auto* err = std::get_if<route_error>(&parsed))
      return *err;
    return with_id(method, r, parts[2], "user");
  }
  return route_error{{api_errc::not_found, "no such resource"}, "other", {}};
}

} // namespace heymovie::http
