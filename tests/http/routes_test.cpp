#include "http/routes.hpp"

#include <catch2/catch.hpp>

#include <regex>
#include <set>
#include <string>

using namespace heymovie::http;
namespace bhttp = boost::beast::http;
using bhttp::verb;

namespace {

route matched(verb method, std::string_view target) {
  auto result = match_route(method, target);
  if (auto* err = std::get_if<route_error>(&result))
    FAIL(target << ": " << err->error.message);
  return std::get<route>(result);
}

route_error refused(verb method, std::string_view target) {
  auto result = match_route(method, target);
  REQUIRE(std::holds_alternative<route_error>(result));
  return std::get<route_error>(result);
}

} // namespace

TEST_CASE("every route of the API is matched with its ids", "[http]") {
  CHECK(matched(verb::post, "/rating").kind == route_kind::rating);
  CHECK(matched(verb::get, "/healthz").kind == route_kind::healthz);
  CHECK(matched(verb::get, "/readyz").kind == route_kind::readyz);
  // The admin listener's, not the API's.
  CHECK(refused(verb::get, "/metrics").error.code == api_errc::not_found);
  auto movie = matched(verb::get, "/movies/42");
  CHECK(movie.kind == route_kind::movie);
  CHECK(movie.id == 42);
  CHECK(movie.name == "/movies/{id}");
  auto rolling = matched(verb::get, "/movies/7/rolling-avg");
  CHECK(rolling.kind == route_kind::rolling_average);
  CHECK(rolling.id == 7);
  auto one = matched(verb::get, "/ratings/3/9");
  CHECK(one.kind == route_kind::user_rating);
  CHECK(one.id == 3);
  CHECK(one.movie == 9);
}

TEST_CASE("the table of routes is what the router matches", "[http]") {
  std::set<route_kind> kinds;
  for (auto& r : api_routes) {
    // A sample target of the template: every id 1.
    auto target = std::regex_replace(std::string{r.path},
                                     std::regex{R"(\{[a-z]+\})"}, "1");
    auto method = bhttp::string_to_verb(r.method);
    auto found = matched(method, target);
    CHECK(found.kind == r.kind);
    CHECK(found.name == r.path);
    kinds.insert(r.kind);
  }
  CHECK(kinds.size() == std::size(api_routes));
  // Every kind of route is in the table.
  CHECK(kinds.size() == static_cast<size_t>(route_kind::openapi) + 1);
}

TEST_CASE("query parameters have defaults and bounds", "[http]") {
  auto top = matched(verb::get, "/movies/top");
  CHECK(top.kind == route_kind::top_movies);
  CHECK(top.limit == top_limit_default);
  CHECK(top.min_votes == min_votes_default);
  top = matched(verb::get, "/movies/top?limit=5&min_votes=50");
  CHECK(top.limit == 5);
  CHECK(top.min_votes == 50);
  auto page = matched(verb::get, "/users/1/ratings?after=31&limit=2");
  CHECK(page.kind == route_kind::user_ratings);
  CHECK(page.id == 1);
  CHECK(page.after == 31);
  CHECK(page.limit == 2);
  CHECK(matched(verb::get, "/users/1/ratings").limit == page_limit_default);
  for (auto bad : {"/movies/top?limit=0", "/movies/top?limit=101",
                   "/movies/top?limit=x", "/movies/top?min_votes=-1",
                   "/movies/top?limit=1&limit=2", "/movies/top?sort=asc",
                   "/users/1/ratings?limit=501", "/users/1/ratings?after=-1",
                   "/users/1/ratings?after=", "/users/1/ratings?limit",
                   "/movies/1?limit=1", "/movies/1/rolling-avg?x",
                   "/ratings/1/1?after=2"}) {
    INFO(bad);
    auto err = refused(verb::get, bad);
    CHECK(err.error.code == api_errc::bad_request);
  }
}

TEST_CASE("malformed ids are a 400, unknown paths a 404", "[http]") {
  for (auto bad :
       {"/movies/abc", "/movies/0", "/movies/-1", "/movies/2147483648",
        "/movies/1x", "/ratings/1/x", "/ratings/0/1", "/users/x/ratings",
        "/movies/01a/rolling-avg"})
    CHECK(refused(verb::get, bad).error.code == api_errc::bad_request);
  for (auto unknown : {"/", "/movie/1", "/movies", "/movies/1/2", "/ratings/1",
                       "/users/1", "/rating/1", "/healthz/x"}) {
    INFO(unknown);
    auto err = refused(verb::get, unknown);
    CHECK(err.error.code == api_errc::not_found);
    CHECK(err.name == "other");
  }
}

TEST_CASE("a wrong method is a 405 that says which one is allowed", "[http]") {
  auto err = refused(verb::get, "/rating");
  CHECK(err.error.code == api_errc::method_not_allowed);
  CHECK(err.allow == "POST");
  err = refused(verb::post, "/movies/1");
  CHECK(err.error.code == api_errc::method_not_allowed);
  CHECK(err.allow == "GET, HEAD");
  CHECK(refused(verb::delete_, "/healthz").allow == "GET, HEAD");
  CHECK(refused(verb::head, "/rating").allow == "POST");
}

TEST_CASE("what answers GET answers HEAD", "[http]") {
  for (auto target :
       {"/healthz", "/readyz", "/movies/1", "/movies/1/rolling-avg",
        "/movies/top?limit=5", "/ratings/1/2", "/users/1/ratings?limit=3"}) {
    INFO(target);
    auto head = matched(verb::head, target);
    auto get = matched(verb::get, target);
    CHECK(head.kind == get.kind);
    CHECK(head.id == get.id);
    CHECK(head.limit == get.limit);
  }
}

TEST_CASE("a target in absolute form routes by its path and query", "[http]") {
  CHECK(matched(verb::get, "http://localhost:8080/healthz").kind ==
        route_kind::healthz);
  CHECK(matched(verb::post, "HTTP://x/rating").kind == route_kind::rating);
  auto top = matched(verb::get, "https://x/movies/top?limit=5");
  CHECK(top.kind == route_kind::top_movies);
  CHECK(top.limit == 5);
  for (auto unknown : {"http://x", "http://x?limit=5", "http://x/",
                       "ftp://x/healthz", "http:/healthz"}) {
    INFO(unknown);
    CHECK(refused(verb::get, unknown).error.code == api_errc::not_found);
  }
}
