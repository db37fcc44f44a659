// The API's routes on the public port: a request line to the route it
// names, with its ids and query parameters parsed and checked. Pure, so that
// every rule is unit-tested. (/metrics is the admin listener's.)

#pragma once

#include "http/api_error.hpp"

#include <boost/beast/http/verb.hpp>

#include <cstdint>
#include <string_view>
#include <variant>

namespace heymovie::http {

enum class route_kind {
  rating,          ///< POST /rating
  movie,           ///< GET /movies/{id}
  rolling_average, ///< GET /movies/{id}/rolling-avg
  top_movies,      ///< GET /movies/top?limit=&min_votes=
  user_rating,     ///< GET /ratings/{user}/{movie}
  user_ratings,    ///< GET /users/{user}/ratings?limit=&after=
  healthz,         ///< GET /healthz
  readyz,          ///< GET /readyz
  openapi,         ///< GET /openapi.json; keep last (a test counts them)
};

struct route {
  route_kind kind = route_kind::healthz;
  /// The route's template, e.g. "/movies/{id}": a metrics label that does
  /// not grow with the ids asked for.
  std::string_view name;
  /// The movie id, or the user id for /ratings and /users.
  int32_t id = 0;
  /// The movie id of /ratings/{user}/{movie}.
  int32_t movie = 0;
  int32_t limit = 0;
  int64_t min_votes = 0;
  int32_t after = 0;
};

/// A route as the API's description (http/openapi.json) names it.
struct route_template {
  route_kind kind;
  std::string_view method;
  std::string_view path;
};

/// Every route of the public port (GET routes take HEAD too).
inline constexpr route_template api_routes[] = {
    {route_kind::rating, "POST", "/rating"},
    {route_kind::movie, "GET", "/movies/{id}"},
    {route_kind::rolling_average, "GET", "/movies/{id}/rolling-avg"},
    {route_kind::top_movies, "GET", "/movies/top"},
    {route_kind::user_rating, "GET", "/ratings/{user}/{movie}"},
    {route_kind::user_ratings, "GET", "/users/{user}/ratings"},
    {route_kind::healthz, "GET", "/healthz"},
    {route_kind::readyz, "GET", "/readyz"},
    {route_kind::openapi, "GET", "/openapi.json"},
};

struct route_error {
  api_error error;
  /// The route's template ("other" when no route matched).
  std::string_view name;
  /// For 405: the methods the route accepts.
  std::string_view allow;
};

/// Limits of the paginated routes.
inline constexpr int32_t top_limit_default = 10;
inline constexpr int32_t top_limit_max = 100;
inline constexpr int64_t min_votes_default = 1;
inline constexpr int32_t page_limit_default = 50;
inline constexpr int32_t page_limit_max = 500;

std::variant<route, route_error> match_route(boost::beast::http::verb method,
                                             std::string_view target);

} // namespace heymovie::http
