// The reader pool and its DB readers on in-memory storage: jobs run on a
// reader, a broken connection is tried once more, late and excess jobs are
// not run.

#include "actors/reader_pool.hpp"
#include "support/memory_storage.hpp"
#include "support/test_system_config.hpp"

#include <caf/actor_system.hpp>
#include <caf/send.hpp>
#include <catch2/catch.hpp>

#include <condition_variable>
#include <mutex>
#include <stdexcept>

using namespace heymovie;
using namespace heymovie::actors;
using namespace heymovie::testing;
using namespace std::chrono_literals;

namespace {

/// Pings, and remembers how it ended.
class ping_job : public read_job {
public:
  explicit ping_job(std::chrono::steady_clock::time_point deadline =
                        std::chrono::steady_clock::now() + 5s)
      : deadline_(deadline) {
    // nop
  }

  const char* name() const noexcept override { return "ping"; }

  std::chrono::steady_clock::time_point deadline() const noexcept override {
    return deadline_;
  }

  std::optional<persistence::db_error>
  run(persistence::read_queries& db) override {
    {
      std::unique_lock<std::mutex> lock{mutex_};
      running_ = true;
      changed_.notify_all();
      changed_.wait(lock, [this] { return !held_; });
    }
    if (auto err = db.ping())
      return err;
    end("answered");
    return std::nullopt;
  }

  void fail(const persistence::db_error& err) override {
    end(std::string{"failed: "} + to_string(err.kind));
  }

  void refuse() override { end("refused"); }

  /// How it ended; fails the test if it has not within 10 s.
  std::string ending() {
    std::unique_lock<std::mutex> lock{mutex_};
    REQUIRE(changed_.wait_for(lock, 10s, [this] { return !ending_.empty(); }));
    return ending_;
  }

  /// Keeps its reader busy, once it runs, until released.
  void hold() {
    std::lock_guard<std::mutex> guard{mutex_};
    held_ = true;
  }

  void release() {
    std::lock_guard<std::mutex> guard{mutex_};
    held_ = false;
    changed_.notify_all();
  }

  void await_running() {
    std::unique_lock<std::mutex> lock{mutex_};
    REQUIRE(changed_.wait_for(lock, 10s, [this] { return running_; }));
  }

private:
  void end(std::string how) {
    std::lock_guard<std::mutex> guard{mutex_};
    ending_ = std::move(how);
    changed_.notify_all();
  }

  std::chrono::steady_clock::time_point deadline_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::string ending_;
  bool held_ = false;
  bool running_ = false;
};

/// Throws where it should answer, as a failing render would.
class throwing_job : public ping_job {
public:
  std::optional<persistence::db_error>
  run(persistence::read_queries&) override {
    throw std::runtime_error("out of luck");
  }
};

struct readers_under_test {
  explicit readers_under_test(size_t readers = 1, size_t queue_limit = 1024)
      : sys(cfg) {
    reader_settings settings;
    settings.open = storage->readers();
    settings.readers = readers;
    settings.queue_limit = queue_limit;
    pool = sys.spawn(reader_pool, settings);
  }

  ~readers_under_test() {
    caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
  }

  std::shared_ptr<ping_job> read(std::shared_ptr<ping_job> job) {
    caf::anon_send(pool, read_atom::value, read_job_ptr{job});
    return job;
  }

  std::shared_ptr<memory_storage> storage =
      std::make_shared<memory_storage>(std::vector<int32_t>{1});
  test_system_config cfg;
  caf::actor_system sys;
  reader_pool_actor pool;
};

} // namespace

SCENARIO("a read job runs on a reader and answers", "[actors]") {
  readers_under_test r;
  CHECK(r.read(std::make_shared<ping_job>())->ending() == "answered");
}

SCENARIO("a read whose connection broke is run once more, other errors and "
         "a second break are answered as failures",
         "[actors]") {
  readers_under_test r;
  WHEN("the connection breaks once") {
    r.storage->fail_next_reads(1, persistence::db_error_kind::connection);
    THEN("the job runs again and answers") {
      CHECK(r.read(std::make_shared<ping_job>())->ending() == "answered");
      CHECK(r.storage->reads() == 2);
    }
  }
  WHEN("it breaks twice") {
    r.storage->fail_next_reads(2, persistence::db_error_kind::connection);
    THEN("the job fails") {
      CHECK(r.read(std::make_shared<ping_job>())->ending() ==
            "failed: connection");
    }
  }
  WHEN("the query times out") {
    r.storage->fail_next_reads(1, persistence::db_error_kind::timeout);
    THEN("the job fails at once") {
      CHECK(r.read(std::make_shared<ping_job>())->ending() ==
            "failed: timeout");
      CHECK(r.storage->reads() == 1);
    }
  }
}

SCENARIO("a read job that throws is answered as failed, and its reader "
         "lives on",
         "[actors]") {
  readers_under_test r;
  CHECK(r.read(std::make_shared<throwing_job>())->ending() ==
        "failed: permanent");
  CHECK(r.read(std::make_shared<ping_job>())->ending() == "answered");
}

SCENARIO("a read job past its deadline is dropped unrun", "[actors]") {
  readers_under_test r;
  r.read(std::make_shared<ping_job>(std::chrono::steady_clock::now() - 1ms));
  // Jobs run in order on the one reader: once the next has answered, the
  // late one has been seen.
  CHECK(r.read(std::make_shared<ping_job>())->ending() == "answered");
  CHECK(r.storage->reads() == 1);
}

SCENARIO("read jobs past the queue limit are refused at once", "[actors]") {
  readers_under_test r{1, 2};
  auto busy = std::make_shared<ping_job>();
  busy->hold();
  r.read(busy);
  busy->await_running();
  std::vector<std::shared_ptr<ping_job>> queued{
      r.read(std::make_shared<ping_job>()),
      r.read(std::make_shared<ping_job>())};
  auto excess = r.read(std::make_shared<ping_job>());
  CHECK(excess->ending() == "refused");
  busy->release();
  CHECK(busy->ending() == "answered");
  for (auto& job : queued)
    CHECK(job->ending() == "answered");
}
