#include "http/admin_session.hpp"

#include <catch2/catch.hpp>

using namespace heymovie::http;
namespace bhttp = boost::beast::http;

namespace {

response answer(bhttp::verb method, const std::string& target) {
  request req{method, target, http_1_1};
  req.set(bhttp::field::host, "x");
  return admin_answer(req);
}

} // namespace

SCENARIO("the admin listener serves metrics and health, nothing else",
         "[http]") {
  auto metrics = answer(bhttp::verb::get, "/metrics");
  CHECK(metrics.result_int() == 200);
  CHECK(metrics[bhttp::field::content_type] ==
        "text/plain; version=0.0.4; charset=utf-8");
  for (auto* family :
       {"# TYPE heymovie_db_up gauge", "# TYPE heymovie_build_info gauge",
        "# TYPE process_cpu_seconds_total counter"})
    CHECK_THAT(metrics.body(), Catch::Contains(family));
  auto head = answer(bhttp::verb::head, "/metrics");
  CHECK(head.body().empty());
  CHECK(head[bhttp::field::content_length] != "0");
  CHECK(answer(bhttp::verb::get, "/healthz").result_int() == 200);
  CHECK(answer(bhttp::verb::get, "/metrics?x=1").result_int() == 200);
  CHECK(answer(bhttp::verb::get, "/rating").result_int() == 404);
  CHECK(answer(bhttp::verb::get, "/movies/1").result_int() == 404);
  auto post = answer(bhttp::verb::post, "/metrics");
  CHECK(post.result_int() == 405);
  CHECK(post[bhttp::field::allow] == "GET, HEAD");
}
