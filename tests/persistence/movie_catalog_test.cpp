#include "persistence/movie_catalog.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using heymovie::persistence::movie_catalog;

SCENARIO("the catalogue knows its ids, in any order and with repeats",
         "[persistence]") {
  movie_catalog catalog{{50, 1, 2147483647, 2, 50}};
  CHECK(catalog.size() == 4);
  CHECK(catalog.contains(1));
  CHECK(catalog.contains(50));
  CHECK(catalog.contains(2147483647));
  CHECK_FALSE(catalog.contains(3));
  CHECK_FALSE(catalog.contains(0));
  CHECK_FALSE(movie_catalog{}.contains(1));
}

SCENARIO("a withdrawn movie is no longer known, the others still are",
         "[persistence]") {
  movie_catalog catalog{{1, 2, 3}};
  CHECK(catalog.withdraw(2));
  CHECK_FALSE(catalog.contains(2));
  CHECK(catalog.contains(1));
  CHECK(catalog.contains(3));
  THEN("withdrawing it again, or an unknown movie, changes nothing") {
    CHECK_FALSE(catalog.withdraw(2));
    CHECK_FALSE(catalog.withdraw(4));
    CHECK(catalog.size() == 3);
  }
}

SCENARIO("a replaced catalogue knows the new ids and says what changed",
         "[persistence]") {
  movie_catalog catalog{{1, 2, 3, 4}};
  catalog.withdraw(4);
  auto change = catalog.replace({5, 3, 1, 4, 3});
  CHECK(change.added == 2);   // 5, and 4 again
  CHECK(change.removed == 1); // 2
  CHECK(catalog.size() == 4);
  CHECK(catalog.contains(1));
  CHECK_FALSE(catalog.contains(2));
  CHECK(catalog.contains(4));
  CHECK(catalog.contains(5));
  THEN("withdrawals apply to the new ids") {
    CHECK(catalog.withdraw(5));
    CHECK_FALSE(catalog.contains(5));
    CHECK_FALSE(catalog.withdraw(2));
  }
  THEN("the same ids again change nothing, an empty list removes all") {
    CHECK(catalog.replace({1, 3, 4, 5}).added == 0);
    auto emptied = catalog.replace({});
    CHECK(emptied.removed == 4);
    CHECK(emptied.added == 0);
    CHECK_FALSE(catalog.contains(1));
  }
}

SCENARIO("lookups and withdrawals run safely while the catalogue is replaced",
         "[persistence]") {
  // Under the sanitizers a lookup into a freed set would be reported.
  std::vector<int32_t> odd;
  std::vector<int32_t> even;
  for (int32_t id = 1; id <= 2000; ++id)
    (id % 2 ? odd : even).push_back(id);
  movie_catalog catalog{odd};
  std::atomic<bool> done{false};
  std::atomic<uint64_t> seen_odd{0};
  std::atomic<uint64_t> seen_even{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t)
    readers.emplace_back([&, t] {
      for (int32_t id = 1; !done.load(); id = id % 2000 + 1) {
        if (catalog.contains(id))
          ++(id % 2 ? seen_odd : seen_even);
        if (t == 1 && id % 97 == 0)
          catalog.withdraw(id);
      }
    });
  // Replace until the readers have seen both sets (bounded).
  auto give_up_at = std::chrono::steady_clock::now() + std::chrono::seconds{10};
  int replaced = 0;
  while (replaced < 200 || ((seen_odd == 0 || seen_even == 0) &&
                            std::chrono::steady_clock::now() < give_up_at))
    catalog.replace(++replaced % 2 ? even : odd);
  if (replaced % 2 == 0)
    catalog.replace(even);
  done = true;
  for (auto& r : readers)
    r.join();
  CHECK(seen_odd > 0);
  CHECK(seen_even > 0);
  CHECK(catalog.contains(2));
  CHECK_FALSE(catalog.contains(1));
}
