#include "support/memory_storage.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <stdexcept>

namespace heymovie::testing {

using persistence::db_error;
using persistence::db_result;
using persistence::movie_info;
using persistence::rating;
using persistence::row_status;

namespace {

class memory_writer final : public persistence::batch_writer {
public:
  explicit memory_writer(std::shared_ptr<memory_storage> storage)
      : storage_(std::move(storage)) {
    // nop
  }

  persistence::write_result write(const std::vector<rating>& rows,
                                  clock::time_point give_up_at) override {
    return storage_->write(rows, give_up_at);
  }

private:
  std::shared_ptr<memory_storage> storage_;
};

int year_of(int64_t unix_seconds) {
  // Days to civil year (H. Hinnant's algorithm), enough for test dates.
  auto days = unix_seconds / 86400 + 719468;
  auto era = (days >= 0 ? days : days - 146096) / 146097;
  auto doe = days - era * 146097;
  auto yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  auto doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  auto mp = (5 * doy + 2) / 153;
  auto month = mp < 10 ? mp + 3 : mp - 9;
  return static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
}

class memory_reader final : public persistence::read_queries {
public:
  explicit memory_reader(std::shared_ptr<memory_storage> storage)
      : storage_(std::move(storage)) {
    // nop
  }

  db_result<std::optional<movie_info>> movie(int32_t id) override {
    if (auto err = storage_->next_read_error())
      return *err;
    if (!storage_->knows_movie(id))
      return std::optional<movie_info>{};
    auto [votes, sum] = storage_->aggregate_of(id);
    return std::optional<movie_info>{
        movie_info{id, "Movie " + std::to_string(id), {}, votes, sum}};
  }

  db_result<std::optional<std::vector<persistence::year_average>>>
  rolling_average(int32_t id) override {
    if (auto err = storage_->next_read_error())
      return *err;
    if (!storage_->knows_movie(id))
      return std::optional<std::vector<persistence::year_average>>{};
    std::map<int, std::pair<int64_t, int64_t>> by_year;
    for (auto& [key, r] : storage_->ratings())
      if (key.second == id) {
        auto& year = by_year[year_of(r.rated_at)];
        year.first += 1;
        year.second += r.half_stars;
      }
    std::vector<persistence::year_average> years;
    int64_t votes = 0;
    int64_t sum = 0;
    for (auto& [year, figures] : by_year) {
      votes += figures.first;
      sum += figures.second;
      years.push_back({year, votes, sum});
    }
    return std::optional<std::vector<persistence::year_average>>{years};
  }

  db_result<std::vector<movie_info>> top(int32_t limit,
                                         int64_t min_votes) override {
    if (auto err = storage_->next_read_error())
      return *err;
    std::vector<movie_info> out;
    std::set<int32_t> rated;
    for (auto& [key, r] : storage_->ratings())
      rated.insert(key.second);
    for (auto id : rated) {
      auto [votes, sum] = storage_->aggregate_of(id);
      if (storage_->knows_movie(id) && votes >= std::max<int64_t>(min_votes, 1))
        out.push_back({id, "Movie " + std::to_string(id), {}, votes, sum});
    }
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) {
      // a.sum / a.votes > b.sum / b.votes, exactly
      auto lhs = a.half_star_sum * b.votes;
      auto rhs = b.half_star_sum * a.votes;
      if (lhs != rhs)
        return lhs > rhs;
      return a.votes != b.votes ? a.votes > b.votes : a.id < b.id;
    });
    if (out.size() > static_cast<size_t>(limit))
      out.resize(static_cast<size_t>(limit));
    return out;
  }

  db_result<std::optional<rating>> find_rating(int32_t user,
                                               int32_t movie) override {
    if (auto err = storage_->next_read_error())
      return *err;
    return storage_->rating_of(user, movie);
  }

  db_result<std::vector<rating>> user_ratings(int32_t user, int32_t after,
                                              int32_t limit) override {
    if (auto err = storage_->next_read_error())
      return *err;
    std::vector<rating> out;
    for (auto& [key, r] : storage_->ratings())
      if (key.first == user && key.second > after &&
          out.size() < static_cast<size_t>(limit))
        out.push_back(r);
    return out;
  }

  db_result<std::vector<int32_t>> movie_ids() override {
    if (auto err = storage_->next_read_error())
      return *err;
    return storage_->movies();
  }

  std::optional<db_error> ping() override {
    return storage_->next_read_error();
  }

private:
  std::shared_ptr<memory_storage> storage_;
};

} // namespace

memory_storage::memory_storage(std::vector<int32_t> movies)
    : movies_(movies.begin(), movies.end()) {
  // nop
}

persistence::batch_writer_factory memory_storage::writers() {
  return [self = shared_from_this()] {
    return std::make_unique<memory_writer>(self);
  };
}

persistence::read_queries_factory memory_storage::readers() {
  return [self = shared_from_this()] {
    return std::make_unique<memory_reader>(self);
  };
}

std::optional<rating> memory_storage::rating_of(int32_t user,
                                                int32_t movie) const {
  std::lock_guard<std::mutex> guard{mutex_};
  auto i = ratings_.find({user, movie});
  if (i == ratings_.end())
    return std::nullopt;
  return i->second;
}

std::pair<int64_t, int64_t> memory_storage::aggregate_of(int32_t movie) const {
  std::lock_guard<std::mutex> guard{mutex_};
  auto i = aggregates_.find(movie);
  return i == aggregates_.end() ? std::pair<int64_t, int64_t>{} : i->second;
}

std::vector<rating> memory_storage::commits() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return commits_;
}

std::vector<size_t> memory_storage::batches() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return batches_;
}

std::map<std::pair<int32_t, int32_t>, rating> memory_storage::ratings() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return ratings_;
}

bool memory_storage::knows_movie(int32_t movie) const {
  std::lock_guard<std::mutex> guard{mutex_};
  return movies_.count(movie) > 0;
}

std::vector<int32_t> memory_storage::movies() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return {movies_.begin(), movies_.end()};
}

void memory_storage::close_gate() {
  std::lock_guard<std::mutex> guard{mutex_};
  gate_open_ = false;
}

void memory_storage::open_gate() {
  {
    std::lock_guard<std::mutex> guard{mutex_};
    gate_open_ = true;
  }
  changed_.notify_all();
}

void memory_storage::await_waiting_writes(size_t n) {
  std::unique_lock<std::mutex> lock{mutex_};
  INFO("waiting for " << n << " write(s) at the gate");
  REQUIRE(changed_.wait_for(lock, std::chrono::seconds{10},
                            [&] { return waiting_ >= n; }));
}

void memory_storage::fail_next_write(row_status status) {
  std::lock_guard<std::mutex> guard{mutex_};
  fail_next_ = status;
}

void memory_storage::crash_next_write() {
  std::lock_guard<std::mutex> guard{mutex_};
  crash_next_ = true;
}

void memory_storage::fail_next_reads(int n, persistence::db_error_kind kind) {
  std::lock_guard<std::mutex> guard{mutex_};
  failing_reads_ = n;
  read_error_kind_ = kind;
}

int memory_storage::reads() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return reads_;
}

std::optional<db_error> memory_storage::next_read_error() {
  std::lock_guard<std::mutex> guard{mutex_};
  ++reads_;
  if (failing_reads_ == 0)
    return std::nullopt;
  --failing_reads_;
  return db_error{read_error_kind_, "failing as the test asked"};
}

persistence::write_result memory_storage::write(const std::vector<rating>& rows,
                                                clock::time_point give_up_at) {
  std::unique_lock<std::mutex> lock{mutex_};
  persistence::write_result result;
  result.attempts = 1;
  ++waiting_;
  changed_.notify_all();
  bool passed =
      changed_.wait_until(lock, give_up_at, [this] { return gate_open_; });
  --waiting_;
  if (!passed) {
    result.rows.assign(rows.size(), row_status::unavailable);
    result.errors.push_back(persistence::db_error_kind::timeout);
    result.error = "the gate stayed closed";
    return result;
  }
  if (crash_next_) {
    crash_next_ = false;
    throw std::runtime_error("a writer crashed, as the test asked");
  }
  if (fail_next_) {
    result.rows.assign(rows.size(), *fail_next_);
    result.errors.push_back(persistence::db_error_kind::permanent);
    result.error = "failing as the test asked";
    fail_next_.reset();
    return result;
  }
  batches_.push_back(rows.size());
  for (auto& r : rows) {
    if (movies_.count(r.movie) == 0) {
      result.rows.push_back(row_status::unknown_movie);
      continue;
    }
    auto& aggregate = aggregates_[r.movie];
    auto [stored, created] = ratings_.try_emplace({r.user, r.movie}, r);
    if (created) {
      aggregate.first += 1;
    } else {
      aggregate.second -= stored->second.half_stars;
      stored->second = r;
    }
    aggregate.second += r.half_stars;
    commits_.push_back(r);
    result.rows.push_back(created ? row_status::created : row_status::replaced);
  }
  return result;
}

} // namespace heymovie::testing
