// The API's description against the service: /openapi.json is the document
// of the source tree, it names every route the service knows, and real
// answers, errors included, validate against its schemas (checked by
// tests/e2e/openapi_validate.py with python3-jsonschema).

#include "http/routes.hpp"
#include "support/http_client.hpp"
#include "support/sample_app.hpp"
#include "support/service_process.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

using namespace heymovie::testing;
namespace bhttp = boost::beast::http;

namespace {

std::string file_text(const std::string& path) {
  std::ifstream in{path};
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Runs the validator; its output (one line per failure) and exit status.
std::pair<std::string, int> validate(const std::string& arguments) {
  auto command = "/usr/bin/python3 " HEYMOVIE_SOURCE_DIR
                 "/tests/e2e/openapi_validate.py " +
                 arguments + " 2>&1";
  auto* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string output;
  char buf[512];
  while (fgets(buf, sizeof buf, pipe) != nullptr)
    output += buf;
  return {output, WEXITSTATUS(pclose(pipe))};
}

/// The route template the router names for a target ("other": none), as
/// the document's paths are written.
std::string route_of(bhttp::verb method, const std::string& target) {
  auto matched = heymovie::http::match_route(method, target);
  if (auto* refused = std::get_if<heymovie::http::route_error>(&matched))
    return std::string{refused->name};
  return std::string{std::get<heymovie::http::route>(matched).name};
}

/// Answers as the validator reads them.
class answers {
public:
  void add(std::string_view method, std::string_view route,
           const http_response& res) {
    nlohmann::json headers = nlohmann::json::object();
    for (auto& [name, value] : res.headers)
      headers[name] = value;
    records_.push_back({{"method", method},
                        {"route", route},
                        {"status", res.status},
                        {"content_type", res.header("content-type")},
                        {"body", res.body},
                        {"headers", headers}});
  }

  /// Sends the request and keeps its answer; returns its status.
  int ask(http_client& client, bhttp::verb method, std::string_view route,
          const std::string& target, const std::string& body = {},
          const std::string& content_type = "application/json") {
    auto res = client.request(method, target, body, content_type);
    add(bhttp::to_string(method), route, res);
    return res.status;
  }

  std::string save() const {
    auto path = temp_path("openapi_answers.json");
    std::ofstream{path} << records_.dump(1);
    return path;
  }

private:
  nlohmann::json records_ = nlohmann::json::array();
};

} // namespace

SCENARIO("the API's description names every route and real answers conform "
         "to it",
         "[e2e]") {
  sample_app app;
  http_client service{app.port()}; // the import account: may do anything
  http_client user1{app.port(), std::chrono::seconds{10}, token_for(1)};
  http_client user2{app.port(), std::chrono::seconds{10}, token_for(2)};
  http_client nobody{app.port(), std::chrono::seconds{10}, ""};
  // A signature one byte longer than HS256's: it cannot verify.
  http_client forged{app.port(), std::chrono::seconds{10}, token_for(1) + "A"};
  http_client admin{app.service.admin_port()};

  auto served = service.get("/openapi.json");
  REQUIRE(served.status == 200);
  CHECK(served.header("content-type") == "application/json");
  CHECK(served.body == file_text(HEYMOVIE_SOURCE_DIR "/http/openapi.json"));
  auto document = temp_path("openapi.json");
  std::ofstream{document} << served.body;

  // Every route of the router, and the admin listener's own.
  auto routes = temp_path("openapi_routes.txt");
  {
    std::ofstream out{routes};
    for (auto& r : heymovie::http::api_routes)
      out << r.method << ' ' << r.path << '\n';
    out << "GET /metrics\n";
  }
  auto [route_problems, route_status] =
      validate(document + " --routes " + routes);
  INFO(route_problems);
  CHECK(route_status == 0);

  using bhttp::verb;
  auto rating = [](int user, const std::string& movie,
                   const std::string& stars) {
    return R"({"user": )" + std::to_string(user) + R"(, "movie": )" + movie +
           R"(, "rating": )" + stars + "}";
  };
  struct exchange {
    http_client& client;
    verb method;
    std::string target;
    int status;
    std::string body = {};
    std::string content_type = "application/json";
  };
  // In this order: the rating of the first is replaced by the second.
  std::vector<exchange> api{
      // POST /rating: created, replaced, and every way to get it wrong.
      {user1, verb::post, "/rating", 201, rating(1, "1", "4")},
      {user1, verb::post, "/rating", 200, rating(1, "1", "3.5")},
      {user1, verb::post, "/rating", 400, R"({"user": 1,)"},
      {user1, verb::post, "/rating", 400,
       R"({"user": 1, "movie": 1, "rating": 4, "x": 1})"},
      {user1, verb::post, "/rating", 400, R"({"user": 1, "movie": 1})"},
      {user1, verb::post, "/rating", 400, rating(1, "\"1\"", "4")},
      {user1, verb::post, "/rating", 422, rating(1, "1", "4.2")},
      {user1, verb::post, "/rating", 422, rating(1, "999999", "4")},
      {user1, verb::post, "/rating", 415, rating(1, "1", "4"), "text/plain"},
      {nobody, verb::post, "/rating", 401, rating(1, "1", "4")},
      {forged, verb::post, "/rating", 401, rating(1, "1", "4")},
      {user2, verb::post, "/rating", 403, rating(1, "1", "4")},
      {user1, verb::get, "/rating", 405},
      // The reads.
      {nobody, verb::get, "/movies/1", 200},
      {nobody, verb::get, "/movies/2", 200},
      {nobody, verb::head, "/movies/1", 200},
      {nobody, verb::get, "/movies/abc", 400},
      {nobody, verb::get, "/movies/999999", 404},
      {nobody, verb::delete_, "/movies/1", 405},
      {nobody, verb::get, "/movies/1/rolling-avg", 200},
      {nobody, verb::get, "/movies/2/rolling-avg", 200},
      {nobody, verb::get, "/movies/999999/rolling-avg", 404},
      {nobody, verb::get, "/movies/top?limit=5&min_votes=1", 200},
      {nobody, verb::get, "/movies/top?limit=0", 400},
      {user1, verb::get, "/ratings/1/1", 200},
      {user1, verb::get, "/ratings/1/2", 404},
      {user2, verb::get, "/ratings/1/1", 403},
      {nobody, verb::get, "/ratings/1/1", 401},
      {user1, verb::get, "/users/1/ratings?limit=10", 200},
      {user2, verb::get, "/users/2/ratings", 200},
      {user1, verb::get, "/users/1/ratings?limit=0", 400},
      {user2, verb::get, "/users/1/ratings", 403},
      // Health, the description itself, and what is no route.
      {nobody, verb::get, "/healthz", 200},
      {nobody, verb::get, "/readyz", 200},
      {nobody, verb::get, "/openapi.json", 200},
      {nobody, verb::get, "/no/such/thing", 404},
      {nobody, verb::get, "/metrics", 404},
  };
  answers seen;
  for (auto& e : api) {
    INFO(bhttp::to_string(e.method) << " " << e.target);
    CHECK(seen.ask(e.client, e.method, route_of(e.method, e.target), e.target,
                   e.body, e.content_type) == e.status);
  }
  {
    // The connection closes after it.
    http_client oversized{app.port(), std::chrono::seconds{10}, token_for(1)};
    CHECK(seen.ask(oversized, verb::post, "/rating", "/rating",
                   std::string(5000, ' ')) == 413);
  }
  // The admin listener: its routes are no templates of the router's.
  CHECK(seen.ask(admin, verb::get, "/metrics", "/metrics") == 200);
  CHECK(seen.ask(admin, verb::post, "/metrics", "/metrics") == 405);
  CHECK(seen.ask(admin, verb::get, "/healthz", "/healthz") == 200);
  CHECK(seen.ask(admin, verb::get, "other", "/movies/1") == 404);

  auto [problems, status] = validate(document + " " + seen.save());
  INFO(problems);
  CHECK(status == 0);
}
