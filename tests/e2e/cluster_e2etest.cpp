// A HeyMovie cluster on loopback: two shard nodes, two gateways and a read
// node behind HAProxy (tools/haproxy.cfg). Writes go to the gateways, reads
// to the read node; a load runs through HAProxy while one shard node is
// killed and restarted: its users get 503 meanwhile, the others are served,
// nothing acknowledged is lost.

#include "actors/user_sharding.hpp"
#include "support/eventually.hpp"
#include "support/http_client.hpp"
#include "support/loadgen_run.hpp"
#include "support/private_cluster.hpp"
#include "support/service_process.hpp"
#include "support/test_database.hpp"

#include <boost/asio/connect.hpp>
#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <unistd.h>

using namespace heymovie::testing;
using namespace std::chrono_literals;

namespace {

constexpr size_t shards_per_node = 4;

bool accepts_connections(uint16_t port) {
  try {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::socket s{ioc};
    s.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

void wait_until_accepting(uint16_t port) {
  eventually("port " + std::to_string(port) + " accepts connections",
             [&] { return accepts_connections(port); });
}

/// Throwaway certificates from tools/certificates for `names`, signed by the
/// CA of `folder` (a folder of this test process's); returns the folder.
std::string certificates(const std::string& folder,
                         const std::vector<std::string>& names) {
  auto dir = temp_path(folder);
  std::vector<std::string> args{dir};
  args.insert(args.end(), names.begin(), names.end());
  auto pid = spawn_program(HEYMOVIE_SOURCE_DIR "/tools/certificates", args);
  REQUIRE(wait_program(pid, 60s) == 0);
  return dir;
}

/// The options for mutual TLS with the certificate `name` from `dir`.
std::vector<std::string> tls_options(const std::string& dir,
                                     const std::string& name) {
  return {"--cluster.tls-certificate=" + dir + "/" + name + ".crt",
          "--cluster.tls-key=" + dir + "/" + name + ".key",
          "--cluster.tls-ca=" + dir + "/ca.crt"};
}

/// A shard node: shards and writers, published on `port`; no HTTP but an
/// admin listener on a free port. With a log file it logs at level info
/// there; `extra`: more options.
class shard_node {
public:
  shard_node(const std::string& db_url, uint16_t port,
             std::string log_file = {}, std::vector<std::string> extra = {})
      : db_url_(db_url), port_(port), log_file_(std::move(log_file)),
        extra_(std::move(extra)) {
    start();
  }
  ~shard_node() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      wait_program(pid_, 10s);
    }
  }
  void start() {
    std::vector<std::string> args{"serve",
                                  "--cluster.role=shard",
                                  "--cluster.port=" + std::to_string(port_),
                                  "--admin.port=0",
                                  "--db.url=" + db_url_,
                                  log_file_.empty() ? "--log.level=warn"
                                                    : "--log.level=info"};
    args.insert(args.end(), extra_.begin(), extra_.end());
    pid_ = spawn_program(HEYMOVIE_BINARY, args, log_file_);
    wait_until_accepting(port_);
  }
  void kill9() { REQUIRE(stop(SIGKILL) == 128 + SIGKILL); }
  /// Sends `signal`; returns the exit status (-1 if it did not end in 20 s).
  int stop(int signal) {
    kill(pid_, signal);
    auto status = wait_program(pid_, 20s);
    pid_ = -1;
    return status;
  }

private:
  std::string db_url_;
  uint16_t port_;
  std::string log_file_;
  std::vector<std::string> extra_;
  pid_t pid_ = -1;
};

std::string node_list(uint16_t a, uint16_t b) {
  return "--cluster.shard-nodes=[\"127.0.0.1:" + std::to_string(a) +
         "\",\"127.0.0.1:" + std::to_string(b) + "\"]";
}

/// A sample of the admin listener on `admin_port`.
double metric(uint16_t admin_port, const std::string& name) {
  http_client client{admin_port};
  auto text = client.get("/metrics").body;
  auto pos = text.find("\n" + name + " ");
  return pos == std::string::npos
             ? -1
             : std::stod(text.substr(pos + name.size() + 2));
}

void wait_for_all_shards(const service_process& gateway) {
  eventually("the gateway has every shard", [&] {
    return metric(gateway.admin_port(), "heymovie_shards_available") ==
           2 * shards_per_node;
  });
}

/// The node (0 or 1) whose shards own `user`.
size_t node_of(int32_t user) {
  return heymovie::actors::shard_of_user(user, 2 * shards_per_node) /
         shards_per_node;
}

int32_t user_on(size_t node, int32_t from) {
  while (node_of(from) != node)
    ++from;
  return from;
}

std::string rating_for(int32_t user) {
  return R"({"user": )" + std::to_string(user) +
         R"(, "movie": 1, "rating": 3.5})";
}

/// HAProxy with tools/haproxy.cfg in front of the gateways and the reader:
/// plain HTTP on `port`, HTTPS on `tls_port` with a certificate of `tls`.
class load_balancer {
public:
  load_balancer(uint16_t port, uint16_t tls_port, const std::string& tls,
                uint16_t gw1, uint16_t gw2, uint16_t reader)
      : port_(port) {
    auto address = [](uint16_t p) {
      return "127.0.0.1:" + std::to_string(p);
    };
    setenv("HEYMOVIE_LB_BIND", address(port).c_str(), 1);
    setenv("HEYMOVIE_LB_TLS_BIND", address(tls_port).c_str(), 1);
    setenv("HEYMOVIE_LB_CERT", (tls + "/haproxy.pem").c_str(), 1);
    setenv("HEYMOVIE_GATEWAY1", address(gw1).c_str(), 1);
    setenv("HEYMOVIE_GATEWAY2", address(gw2).c_str(), 1);
    setenv("HEYMOVIE_READER1", address(reader).c_str(), 1);
    pid_ =
        spawn_program("/usr/sbin/haproxy",
                      {"-db", "-f", HEYMOVIE_SOURCE_DIR "/tools/haproxy.cfg"});
    wait_until_accepting(port);
  }
  ~load_balancer() {
    kill(pid_, SIGTERM);
    wait_program(pid_, 10s);
  }

private:
  uint16_t port_;
  pid_t pid_;
};

} // namespace

SCENARIO("a cluster behind HAProxy routes by endpoint, survives the loss of a "
         "shard node and loses nothing acknowledged",
         "[e2e][cluster]") {
  test_database db{sample_movies_csv()};
  auto port1 = free_port();
  auto port2 = free_port();
  shard_node node1{db.url(), port1};
  shard_node node2{db.url(), port2};
  auto nodes = node_list(port1, port2);
  service_process gateway1{
      db.url(),
      {"--cluster.role=gateway", nodes, "--cluster.node-name=gateway-1"}};
  service_process gateway2{
      db.url(),
      {"--cluster.role=gateway", nodes, "--cluster.node-name=gateway-2"}};
  service_process reader{
      db.url(),
      {"--cluster.role=gateway", nodes, "--cluster.node-name=reader-1"}};
  for (auto* gw : {&gateway1, &gateway2})
    wait_for_all_shards(*gw);
  auto lb_port = free_port();
  auto lb_tls_port = free_port();
  load_balancer lb{
      lb_port,         lb_tls_port,     certificates("tls-public", {"haproxy"}),
      gateway1.port(), gateway2.port(), reader.port()};
  // HTTPS ends at HAProxy; /metrics is nobody's business out there.
  CHECK(shell_output("curl -sk -o /dev/null -w '%{http_code}' "
                     "https://127.0.0.1:" +
                     std::to_string(lb_tls_port) + "/movies/1") == "200");
  CHECK(http_client{lb_port}.get("/metrics").status == 404);

  // Writes go to the gateways, in turn; reads to the read node.
  std::set<std::string> writers;
  for (int i = 0; i < 20 && writers.size() < 2; ++i) {
    http_client client{lb_port};
    auto res = client.post_rating(rating_for(100 + i));
    REQUIRE(res.status == 201);
    writers.insert(res.header("x-served-by"));
  }
  CHECK(writers == std::set<std::string>{"gateway-1", "gateway-2"});
  for (auto target : {"/movies/1", "/ratings/100/1", "/users/100/ratings",
                      "/movies/top?min_votes=1"}) {
    http_client client{lb_port};
    auto res = client.get(target);
    CHECK(res.status == 200);
    CHECK(res.header("x-served-by") == "reader-1");
  }

  // A load through HAProxy; one shard node dies and comes back meanwhile.
  loadgen_run run{lb_port,
                  {"--users=3000", "--connections=16", "--duration=8"}};
  wait_for_ratings(db.url(), 500);
  node2.kill9();
  {
    http_client probe{lb_port};
    auto started = std::chrono::steady_clock::now();
    auto lost = probe.post_rating(rating_for(user_on(1, 5000)));
    CHECK(lost.status == 503);
    CHECK(lost.header("retry-after") == "1");
    CHECK(std::chrono::steady_clock::now() - started < 500ms);
    CHECK(probe.post_rating(rating_for(user_on(0, 5000))).status == 201);
  }
  node2.start();
  CHECK(post_rating_until_written(lb_port, rating_for(user_on(1, 6000)), 6s) ==
        201);
  auto result = run.finish();
  INFO(result.dump());
  for (auto& [code, n] : result["status"].items())
    CHECK((code == "200" || code == "201" || code == "503"));
  CHECK(status_count(result, "503") > 0);
  CHECK(run.verify(db.url()) == 0);
}

SCENARIO("a shard node stopped under load refuses new ratings, writes the "
         "accepted ones and exits",
         "[e2e][cluster]") {
  test_database db{sample_movies_csv()};
  auto port1 = free_port();
  auto port2 = free_port();
  auto log_file = temp_path("shard-node-2.log");
  shard_node node1{db.url(), port1};
  shard_node node2{db.url(), port2, log_file};
  service_process gateway{db.url(),
                          {"--cluster.role=gateway", node_list(port1, port2),
                           "--cluster.node-name=gateway-1"}};
  wait_for_all_shards(gateway);
  loadgen_run run{gateway.port(),
                  {"--users=3000", "--connections=16", "--duration=6"}};
  wait_for_ratings(db.url(), 500);
  WHEN("one shard node gets SIGTERM while the gateway keeps sending to it") {
    auto status = node2.stop(SIGTERM);
    THEN("it exits 0 once everything it accepted is written") {
      CHECK(status == 0);
      std::ifstream in{log_file};
      std::string log{std::istreambuf_iterator<char>{in}, {}};
      INFO(log);
      // A closed shard refuses new ratings, so the node's shards empty even
      // while the gateway keeps sending.
      CHECK(log.find("drained: every accepted rating is written") !=
            std::string::npos);
      CHECK(log.find("gave up") == std::string::npos);
      AND_THEN("every request was answered and nothing acknowledged lost") {
        auto result = run.finish();
        INFO(result.dump());
        for (auto& [code, n] : result["status"].items())
          CHECK((code == "200" || code == "201" || code == "503"));
        CHECK(run.verify(db.url()) == 0);
      }
    }
  }
}

SCENARIO("with mutual TLS, a node with a certificate of the cluster's CA gets "
         "the shards, and a peer without one gets none and disturbs nobody",
         "[e2e][cluster]") {
  test_database db{sample_movies_csv()};
  auto tls = certificates("tls-cluster", {"shard-1", "gateway-1"});
  auto port = free_port();
  auto one_node =
      "--cluster.shard-nodes=[\"127.0.0.1:" + std::to_string(port) + "\"]";
  shard_node node{db.url(), port, {}, tls_options(tls, "shard-1")};
  auto trusted_options = tls_options(tls, "gateway-1");
  trusted_options.insert(trusted_options.begin(),
                         {"--cluster.role=gateway", one_node});
  service_process trusted{db.url(), trusted_options};
  eventually("the trusted gateway has the node's shards", [&] {
    return metric(trusted.admin_port(), "heymovie_shards_available") ==
           shards_per_node;
  });
  CHECK(http_client{trusted.port()}.post_rating(rating_for(1)).status == 201);
  WHEN("a gateway without a certificate tries the same node") {
    auto log = temp_path("stranger.log");
    std::remove(log.c_str());
    service_process stranger{
        db.url(), {"--cluster.role=gateway", one_node}, log};
    THEN("its handshakes fail and it gets no shard: every rating is 503") {
      eventually("the stranger's handshake was refused", [&] {
        return stranger.log().find("disconnect_during_handshake") !=
               std::string::npos;
      });
      CHECK(stranger.log().find("connected to shard node") ==
            std::string::npos);
      CHECK(metric(stranger.admin_port(), "heymovie_shards_available") == 0);
      CHECK(http_client{stranger.port()}.post_rating(rating_for(2)).status ==
            503);
      AND_THEN("the trusted gateway stays connected and writes throughout") {
        // Ratings for 2 s, while the stranger retries every half second.
        int32_t user = 3;
        http_client client{trusted.port()};
        for (auto until = std::chrono::steady_clock::now() + 2s;
             std::chrono::steady_clock::now() < until; ++user)
          REQUIRE(client.post_rating(rating_for(user)).status == 201);
        CHECK(metric(trusted.admin_port(), "heymovie_shards_available") ==
              shards_per_node);
        CHECK(query_int(db.url(), "SELECT count(*) FROM ratings") == user - 2);
      }
    }
  }
}
