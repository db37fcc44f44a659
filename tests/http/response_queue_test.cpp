#include "http/response_queue.hpp"

#include <catch2/catch.hpp>

using namespace heymovie;
using namespace heymovie::http;
namespace bhttp = boost::beast::http;
using written = response_queue::written;

namespace {

response_queue::slot slot_of(storage_use touches = storage_use::none,
                             bool head = false) {
  request_info info;
  info.touches = touches;
  info.head = head;
  return {std::move(info), response_queue::clock::now()};
}

response answer(std::string body, bool keep_alive = true) {
  return json_response(std::move(body), {http_1_1, keep_alive, 1});
}

/// Answers slot `n` of `q`.
void settle(response_queue& q, response_queue::slot_number n,
            std::string body) {
  auto* s = q.unanswered(n);
  REQUIRE(s != nullptr);
  response_queue::answer(*s, answer(std::move(body)));
}

} // namespace

SCENARIO("answers leave in the order of their requests, one at a time",
         "[http]") {
  response_queue q;
  auto first = q.push(slot_of());
  auto second = q.push(slot_of());
  CHECK(second == first + 1);
  settle(q, second, "second");
  THEN("a later answer waits for the earlier one") {
    CHECK(q.start_write(false) == nullptr);
    settle(q, first, "first");
    auto* out = q.start_write(false);
    REQUIRE(out != nullptr);
    CHECK(out->body() == "first");
    CHECK(q.writing());
    AND_THEN("nothing else starts while it is written") {
      CHECK(q.start_write(false) == nullptr);
      CHECK(q.finish_write() == written::answer);
      out = q.start_write(false);
      REQUIRE(out != nullptr);
      CHECK(out->body() == "second");
      CHECK(q.finish_write() == written::answer);
      CHECK(q.empty());
    }
  }
}

SCENARIO("a slot is answered once, and numbers of slots gone find nothing",
         "[http]") {
  response_queue q;
  auto n = q.push(slot_of());
  settle(q, n, "once");
  CHECK(q.unanswered(n) == nullptr);
  q.start_write(false);
  q.finish_write();
  CHECK(q.unanswered(n) == nullptr);
  CHECK(q.unanswered(n + 1) == nullptr);
  auto next = q.push(slot_of());
  CHECK(next == n + 1);
  CHECK(q.unanswered(next) != nullptr);
}

SCENARIO("a HEAD answer keeps its length and loses its body", "[http]") {
  response_queue q;
  auto n = q.push(slot_of(storage_use::reads, true));
  settle(q, n, R"({"id":1})");
  auto* out = q.start_write(false);
  REQUIRE(out != nullptr);
  CHECK(out->body().empty());
  CHECK((*out)[bhttp::field::content_length] == "8");
}

SCENARIO("the queue says which kinds of requests are unanswered", "[http]") {
  response_queue q;
  auto read = q.push(slot_of(storage_use::reads));
  auto write = q.push(slot_of(storage_use::writes));
  q.push(slot_of(storage_use::none));
  CHECK(q.unanswered(storage_use::reads));
  CHECK(q.unanswered(storage_use::writes));
  settle(q, read, "read");
  CHECK_FALSE(q.unanswered(storage_use::reads));
  settle(q, write, "write");
  CHECK_FALSE(q.unanswered(storage_use::writes));
}

SCENARIO("the last answer before the connection closes says so", "[http]") {
  response_queue q;
  auto a = q.push(slot_of());
  auto b = q.push(slot_of());
  settle(q, a, "a");
  settle(q, b, "b");
  WHEN("no request will follow the queued ones") {
    THEN("only the last one says Connection: close") {
      auto* out = q.start_write(true);
      CHECK(out->keep_alive());
      CHECK(q.finish_write() == written::answer);
      out = q.start_write(true);
      CHECK_FALSE(out->keep_alive());
      CHECK(q.finish_write() == written::last_answer);
    }
  }
  WHEN("a request is held") {
    q.hold({request{}, response_queue::clock::now()});
    THEN("it follows: the answers keep the connection") {
      q.start_write(true);
      q.finish_write();
      CHECK(q.start_write(true)->keep_alive());
      CHECK(q.finish_write() == written::answer);
      CHECK(q.holding());
      CHECK(q.release_held());
      CHECK_FALSE(q.holding());
    }
  }
  WHEN("an answer itself said close") {
    auto c = q.push(slot_of());
    response_queue::answer(*q.unanswered(c), answer("c", false));
    THEN("its write ends the connection") {
      for (int i = 0; i < 2; ++i) {
        q.start_write(false);
        q.finish_write();
      }
      CHECK_FALSE(q.start_write(false)->keep_alive());
      CHECK(q.finish_write() == written::last_answer);
    }
  }
}

SCENARIO("100 Continue goes out once no earlier answer is owed", "[http]") {
  response_queue q;
  auto earlier = q.push(slot_of());
  q.owe_continue();
  CHECK(q.start_write(false) == nullptr);
  settle(q, earlier, "earlier");
  q.start_write(false);
  q.finish_write();
  WHEN("the body has not come") {
    auto* interim = q.start_write(false);
    REQUIRE(interim != nullptr);
    CHECK(interim->result() == bhttp::status::continue_);
    CHECK(q.finish_write() == written::interim);
    THEN("it goes out once") {
      CHECK(q.start_write(false) == nullptr);
    }
  }
  WHEN("the body came first, or the connection closes") {
    q.forget_continue();
    THEN("it does not go out") {
      CHECK(q.start_write(false) == nullptr);
    }
  }
}

SCENARIO("reads past their deadline are found for a 503", "[http]") {
  response_queue q;
  auto now = response_queue::clock::now();
  auto late = slot_of(storage_use::reads);
  late.deadline = now - std::chrono::milliseconds{1};
  auto in_time = slot_of(storage_use::reads);
  in_time.deadline = now + std::chrono::seconds{1};
  auto late_n = q.push(std::move(late));
  q.push(std::move(in_time));
  q.push(slot_of(storage_use::writes));
  std::vector<response_queue::slot*> overdue;
  q.for_each_overdue(now,
                     [&](response_queue::slot& s) { overdue.push_back(&s); });
  REQUIRE(overdue.size() == 1);
  CHECK(overdue.front() == q.unanswered(late_n));
}
