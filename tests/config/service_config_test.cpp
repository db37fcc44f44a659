#include "config/service_config.hpp"

#include <caf/atom.hpp>
#include <caf/config_option_set.hpp>
#include <caf/settings.hpp>
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <unistd.h>

using heymovie::config::service_config;

namespace {

/// Writes `content` to a temporary INI file and configures `cfg` from it
/// and `args`; what `configure` says.
std::string configure_from(service_config& cfg, const std::string& content,
                           std::vector<std::string> args = {}) {
  auto path = std::string{"/tmp/heymovie_config_test_"} +
              std::to_string(::getpid()) + ".ini";
  std::ofstream out{path};
  out << content;
  out.close();
  args.insert(args.begin(), "--config-file=" + path);
  auto problem = cfg.configure(args);
  std::remove(path.c_str());
  return problem;
}

/// Loads `content` and `args`; what `configure` says.
std::string load(const std::string& content,
                 std::vector<std::string> args = {}) {
  service_config cfg;
  return configure_from(cfg, content, std::move(args));
}

/// `Config` with the options it declares in view.
template<class Config>
struct declared : Config {
  const caf::config_option_set& options() const {
    return this->custom_options_;
  }
};

} // namespace

TEST_CASE("the shipped INI file is valid and complete", "[config]") {
  service_config cfg;
  auto path = std::string{HEYMOVIE_SOURCE_DIR} + "/config/heymovie.ini";
  CHECK(cfg.configure({"--config-file=" + path}) == "");
  CHECK(cfg.values.http.port == 8080);
  CHECK(cfg.values.pipeline.batch_size == 1000);
  CHECK(cfg.values.db.catalog_refresh == std::chrono::seconds{10});
}

TEST_CASE("the shipped INI file lists every key of the service with its "
          "default",
          "[config]") {
  auto path = std::string{HEYMOVIE_SOURCE_DIR} + "/config/heymovie.ini";
  auto ini = service_config::parse_config_file(path.c_str());
  REQUIRE(ini);
  declared<service_config> service; // not configured: the built-in defaults
  declared<caf::actor_system_config> caf_only;
  size_t own = 0;
  for (auto& option : service.options()) {
    if (caf_only.options().qualified_name_lookup(option.category(),
                                                 option.long_name()))
      continue; // one of CAF's groups
    ++own;
    auto name =
        std::string{option.full_name().data(), option.full_name().size()};
    INFO(name);
    auto builtin = option.get();
    REQUIRE(static_cast<bool>(builtin));
    auto* listed = caf::get_if(&*ini, name);
    CHECK(listed != nullptr);
    if (listed != nullptr)
      CHECK(caf::to_string(*listed) == caf::to_string(*builtin));
  }
  CHECK(own > 40); // about fifty: the filter must not skip them
  // Every key is an option (configure() refuses others, see the test above),
  // and those whose default the service sets (scheduler.max-threads,
  // middleman.heartbeat-interval, ...) carry that value.
  for (auto& [section, keys] : *ini) {
    auto* entries = caf::get_if<caf::settings>(&keys);
    REQUIRE(entries != nullptr);
    for (auto& [key, value] : *entries) {
      auto name = section + "." + key;
      INFO(name);
      CHECK(service.options().qualified_name_lookup(name) != nullptr);
      if (auto* builtin = caf::get_if(&service.content, name))
        CHECK(caf::to_string(value) == caf::to_string(*builtin));
    }
  }
}

TEST_CASE("the scheduler runs one thread with a shared queue unless told "
          "otherwise",
          "[config]") {
  auto scheduler_of = [](std::vector<std::string> args) {
    service_config cfg;
    REQUIRE(configure_from(cfg, "[http]\nport=9000\n", std::move(args)) == "");
    return std::pair{
        caf::get_or(cfg, "scheduler.max-threads", size_t{0}),
        caf::to_string(caf::get_or(cfg, "scheduler.policy", caf::atom("")))};
  };
  CHECK(scheduler_of({}) == std::pair{size_t{1}, std::string{"sharing"}});
  CHECK(scheduler_of(
            {"--scheduler.policy=stealing", "--scheduler.max-threads=2"}) ==
        std::pair{size_t{2}, std::string{"stealing"}});
}

TEST_CASE("INI values override defaults and the command line overrides INI",
          "[config]") {
  service_config cfg;
  REQUIRE(configure_from(
              cfg, "[http]\nport=9000\n[pipeline]\nshards=3\n",
              {"--pipeline.shards=5", "--pipeline.batch-linger=3ms"}) == "");
  CHECK(cfg.values.http.port == 9000);
  CHECK(cfg.values.pipeline.shards == 5);
  CHECK(cfg.values.pipeline.batch_linger == std::chrono::milliseconds{3});
}

TEST_CASE("bad config values are refused with a clear message", "[config]") {
  CHECK_THAT(load("[http]\nport=\"80\"\n"), Catch::Contains("http.port"));
  CHECK_THAT(load("[http]\nport=70000\n"), Catch::Contains("http.port"));
  CHECK_THAT(load("[http]\nprot=80\n"),
             Catch::Contains("unknown key http.prot"));
  CHECK_THAT(load("[pipeline]\nshards=0\n"),
             Catch::Contains("pipeline.shards"));
  CHECK_THAT(load("[pipeline]\nbatch-size=100\nmailbox-limit=10\n"),
             Catch::Contains("mailbox-limit"));
  CHECK_THAT(load("[log]\nlevel=\"loud\"\n"),
             Catch::Contains("log.level") && Catch::Contains("critical"));
  CHECK(load("[log]\nlevel=\"critical\"\n") == "");
  CHECK_THAT(load("[http]\nrequest-deadline=0s\n"),
             Catch::Contains("request-deadline"));
  CHECK_THAT(load("[db]\ncatalog-refresh=-1s\n"),
             Catch::Contains("db.catalog-refresh"));
  CHECK_THAT(load("", {"--db.catalog-refresh=10ms"}),
             Catch::Contains("db.catalog-refresh"));
  CHECK(load("", {"--db.catalog-refresh=0s"}) == "");
  CHECK_THAT(load("", {"--http.threads=0"}), Catch::Contains("http.threads"));
  CHECK_THAT(load("", {"--db.figure-slot=16"}),
             Catch::Contains("db.figure-slot must be between 0 and 15"));
  CHECK(load("", {"--db.figure-slot=15"}) == "");
  CHECK_THAT(load("[log]\nformat=\"xml\"\n"), Catch::Contains("log.format"));
  CHECK(load("[log]\nformat=\"json\"\n") == "");
  CHECK_THAT(load("[http]\ntrusted-proxies=[\"10.0.0.1/8\"]\n"),
             Catch::Contains("http.trusted-proxies: \"10.0.0.1/8\""));
  CHECK(load("[http]\ntrusted-proxies=[\"10.0.0.0/8\", \"::1\"]\n") == "");
  CHECK_THAT(load("", {"--nope=1"}), Catch::Contains("bad command line"));
  CHECK_THAT(load("[http\n"), Catch::Contains("cannot parse"));
  service_config cfg;
  CHECK_THAT(cfg.configure({"--config-file=/nonexistent.ini"}),
             Catch::Contains("cannot open"));
}

TEST_CASE("trusted proxies are addresses or networks with a prefix",
          "[config]") {
  using heymovie::config::parse_ip_network;
  auto v4 = [](uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
    return std::array<uint8_t, 16>{0, 0, 0,    0,    0, 0, 0, 0,
                                   0, 0, 0xff, 0xff, a, b, c, d};
  };
  auto ten = parse_ip_network("10.0.0.0/8");
  REQUIRE(ten);
  CHECK(ten->prefix == 104);
  CHECK(ten->contains(v4(10, 200, 3, 4)));
  CHECK_FALSE(ten->contains(v4(11, 0, 0, 0)));
  auto odd = parse_ip_network("192.168.4.0/23");
  REQUIRE(odd);
  CHECK(odd->contains(v4(192, 168, 5, 255)));
  CHECK_FALSE(odd->contains(v4(192, 168, 6, 0)));
  auto one = parse_ip_network("192.0.2.7");
  REQUIRE(one);
  CHECK(one->contains(v4(192, 0, 2, 7)));
  CHECK_FALSE(one->contains(v4(192, 0, 2, 8)));
  auto six = parse_ip_network("2001:db8::/32");
  REQUIRE(six);
  CHECK(six->contains({0x20, 0x01, 0x0d, 0xb8, 9}));
  CHECK_FALSE(six->contains({0x20, 0x01, 0x0d, 0xb9}));
  CHECK(parse_ip_network("0.0.0.0/0")->contains(v4(1, 2, 3, 4)));
  for (auto* bad : {"", "10.0.0.0/", "10.0.0.0/33", "10.0.0.1/8", "::1/129",
                    "10.0.0.0/8x", "example.com", "10.0.0.0/-1"})
    CHECK_FALSE(parse_ip_network(bad));
}

TEST_CASE("DATABASE_URL beats the INI file, --db.url beats both", "[config]") {
  ::setenv("DATABASE_URL", "postgresql:///from_env", 1);
  {
    service_config cfg;
    REQUIRE(cfg.configure({}) == "");
    CHECK(cfg.values.db.url == "postgresql:///from_env");
  }
  {
    service_config cfg;
    REQUIRE(cfg.configure({"--db.url=postgresql:///from_cli"}) == "");
    CHECK(cfg.values.db.url == "postgresql:///from_cli");
  }
  ::unsetenv("DATABASE_URL");
}

TEST_CASE("passwords never reach the log", "[config]") {
  using heymovie::config::mask_password;
  CHECK(mask_password("postgresql://app:s3cret@db:5432/x") ==
        "postgresql://app:***@db:5432/x");
  CHECK(mask_password(
            "postgresql://db/x?user=a&password=s3cret&sslmode=require") ==
        "postgresql://db/x?user=a&password=***&sslmode=require");
  CHECK(mask_password("host=db password=s3cret user=a") ==
        "host=db password=*** user=a");
  CHECK(mask_password("postgresql:///heymovie?host=/tmp") ==
        "postgresql:///heymovie?host=/tmp");
  heymovie::config::settings s;
  s.db.url = "postgresql://app:s3cret@db/x";
  auto line = heymovie::config::describe(s);
  CHECK_THAT(line, Catch::Contains("db.url=postgresql://app:***@db/x"));
  CHECK_THAT(line, !Catch::Contains("s3cret"));
  CHECK_THAT(line, Catch::Contains("pipeline.shards=4"));
}

TEST_CASE("shard nodes are host:port with a port that fits", "[config]") {
  using heymovie::config::parse_host_port;
  auto node = parse_host_port("10.0.0.5:4301");
  REQUIRE(node);
  CHECK(node->host == "10.0.0.5");
  CHECK(node->port == 4301);
  CHECK(parse_host_port("shard-a:65535")->port == 65535);
  CHECK_FALSE(parse_host_port("10.0.0.5"));
  CHECK_FALSE(parse_host_port(":4301"));
  CHECK_FALSE(parse_host_port("host:"));
  CHECK_FALSE(parse_host_port("host:0"));
  CHECK_FALSE(parse_host_port("host:65536"));
  CHECK_FALSE(parse_host_port("host:99999999999999999999"));
  CHECK_FALSE(parse_host_port("host:43x"));
  CHECK_THAT(load("", {"--cluster.role=gateway",
                       "--cluster.shard-nodes=[\"h:70000\"]"}),
             Catch::Contains("cluster.shard-nodes"));
}

TEST_CASE("authentication, the admin listener and cluster TLS are configured "
          "together",
          "[config]") {
  service_config cfg;
  auto path = std::string{HEYMOVIE_SOURCE_DIR} + "/config/heymovie.ini";
  REQUIRE(cfg.configure({"--config-file=" + path, "--auth.mode=off",
                         "--admin.port=9999", "--auth.user-rate=5"}) == "");
  CHECK(cfg.values.auth.mode == heymovie::config::auth_mode::off);
  CHECK(cfg.values.auth.user_rate == 5);
  CHECK(cfg.values.admin.port == 9999);
  CHECK(cfg.values.admin.address == "127.0.0.1");
  // jwt is the default; that it has a key is the serving node's check.
  service_config defaults;
  REQUIRE(defaults.configure({"--config-file=" + path}) == "");
  CHECK(defaults.values.auth.mode == heymovie::config::auth_mode::jwt);
  CHECK(defaults.values.auth.leeway == std::chrono::seconds{30});
  CHECK_THAT(load("", {"--auth.mode=maybe"}),
             Catch::Contains("auth.mode must be jwt or off"));
  CHECK_THAT(load("", {"--auth.previous-hs256-secret-file=/x"}),
             Catch::Contains("auth.previous-hs256-secret-file needs"));
  CHECK_THAT(load("", {"--auth.user-burst=0"}),
             Catch::Contains("auth.user-rate and auth.user-burst"));
  CHECK_THAT(load("", {"--auth.token-cache=100000000"}),
             Catch::Contains("auth.token-cache must be at most"));
  CHECK_THAT(load("", {"--cluster.tls-certificate=/a.crt"}),
             Catch::Contains("set all three or none"));
  CHECK(load("", {"--cluster.tls-certificate=/a", "--cluster.tls-key=/b",
                  "--cluster.tls-ca=/c"}) == "");
}
