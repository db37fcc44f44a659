// Waiting in tests for something that happens elsewhere (another thread, the
// service, the database): the condition is checked until it holds, briefly
// pausing between checks, and the test fails if it never does.

#pragma once

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <thread>

namespace heymovie::testing {

/// Checks `holds()` until it is true, for at most `within`; REQUIREs that it
/// became true, saying `what` otherwise.
template<class Predicate>
void eventually(const std::string& what, Predicate holds,
                std::chrono::milliseconds within = std::chrono::seconds{10}) {
  auto give_up_at = std::chrono::steady_clock::now() + within;
  bool held = holds();
  while (!held && std::chrono::steady_clock::now() < give_up_at) {
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
    held = holds();
  }
  INFO("waited " << within.count() << " ms for: " << what);
  REQUIRE(held);
}

} // namespace heymovie::testing
