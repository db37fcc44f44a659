#include "observability/build_info.hpp"
#include "observability/service_metrics.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <regex>
#include <string>

using heymovie::observability::service_metrics;
namespace build = heymovie::observability;

namespace {

/// The value of the sample `series` (name and labels as rendered) in `text`;
/// fails the test when it is not there.
double sample(const std::string& text, const std::string& series) {
  auto at = text.find("\n" + series + " ");
  INFO(series);
  REQUIRE(at != std::string::npos);
  return std::stod(text.substr(at + series.size() + 2));
}

} // namespace

TEST_CASE("metrics render in the text format with their labels",
          "[observability]") {
  auto& metrics = service_metrics::instance();
  auto before = metrics.render();
  metrics.rejections("a \"quoted\" cause").Increment(3);
  metrics.read_duration("test_query").Observe(0.0002);
  metrics.read_duration("test_query").Observe(7);
  auto text = metrics.render();
  CHECK_THAT(before, !Catch::Contains("test_query"));
  CHECK_THAT(text, Catch::Contains("# TYPE heymovie_rejections_total counter"));
  CHECK(sample(text,
               R"(heymovie_rejections_total{cause="a \"quoted\" cause"})") ==
        3);
  auto bucket = [](const char* bound) {
    return std::string{R"(heymovie_db_read_duration_seconds_bucket{)"
                       R"(query="test_query",le=")"} +
           bound + "\"}";
  };
  CHECK(sample(text, bucket("0.0001")) == 0);
  CHECK(sample(text, bucket("0.00025")) == 1);
  CHECK(sample(text, bucket("+Inf")) == 2);
  CHECK(sample(
            text,
            R"(heymovie_db_read_duration_seconds_count{query="test_query"})") ==
        2);
  CHECK(sample(text, "heymovie_db_up") == 1);
}

TEST_CASE("the build is named by version and commit", "[observability]") {
  std::string version{build::build_version()};
  std::string commit{build::build_commit()};
  CHECK(std::regex_match(version, std::regex{R"(\d+\.\d+\.\d+)"}));
  CHECK(std::regex_match(commit,
                         std::regex{R"(unknown|[0-9a-f]{7,40}(-dirty)?)"}));
  auto series = "heymovie_build_info{commit=\"" + commit + "\",version=\"" +
                version + "\"}";
  CHECK(sample(service_metrics::instance().render(), series) == 1);
}

TEST_CASE("the process metrics describe this process", "[observability]") {
  auto text = service_metrics::instance().render();
  CHECK_THAT(text, Catch::Contains("# TYPE process_cpu_seconds_total counter"));
  CHECK(sample(text, "process_cpu_seconds_total") >= 0);
  auto resident = sample(text, "process_resident_memory_bytes");
  CHECK(resident > 1e6);
  CHECK(sample(text, "process_virtual_memory_bytes") >= resident);
  auto open = sample(text, "process_open_fds");
  CHECK(open >= 3);
  CHECK(sample(text, "process_max_fds") >= open);
  auto now = std::chrono::duration<double>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  auto started = sample(text, "process_start_time_seconds");
  CHECK(started <= now + 1);
  CHECK(started > now - 24 * 3600);
}
