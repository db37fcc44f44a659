#include "loadgen/workload.hpp"

#include "loadgen/movielens_csv.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>

namespace heymovie::loadgen {

namespace {

// Pairs kept for re-rating, over all connections: enough to spread
// re-ratings widely, bounded for long runs (about 32 MiB).
constexpr size_t remembered_pairs = size_t{1} << 22;

std::vector<std::unique_ptr<request_source>>
make_replay_sources(const run_options& options) {
  auto ratings = read_ratings_csv(options.ratings_path, options.limit);
  auto n = options.connections;
  std::vector<std::vector<planned_request>> shares(n);
  for (size_t i = 0; i < ratings.size(); ++i) {
    auto& r = ratings[i];
    shares[static_cast<size_t>(r.user) % n].push_back({r, i});
  }
  std::vector<std::unique_ptr<request_source>> out;
  for (auto& share : shares)
    out.push_back(std::make_unique<replay_source>(std::move(share)));
  return out;
}

std::vector<std::unique_ptr<request_source>>
make_synthetic_sources(const run_options& options) {
  auto movies = read_movie_ids(options.movies_path);
  if (movies.empty())
    throw std::runtime_error(options.movies_path + ": no movies");
  zipf_sampler popularity{movies.size(), options.zipf};
  auto catalogue =
      std::make_shared<const synthetic_catalogue>(synthetic_catalogue{
          std::move(movies), std::move(popularity), options.users,
          options.rerate, options.count, options.timestamps});
  std::vector<std::unique_ptr<request_source>> out;
  for (size_t c = 0; c < options.connections; ++c)
    out.push_back(std::make_unique<synthetic_source>(catalogue, options.seed, c,
                                                     options.connections));
  return out;
}

} // namespace

bool replay_source::next(planned_request& out) {
  if (next_ == requests_.size())
    return false;
  out = requests_[next_++];
  return true;
}

synthetic_source::synthetic_source(
    std::shared_ptr<const synthetic_catalogue> catalogue, uint64_t seed,
    size_t connection, size_t connections)
    : catalogue_(std::move(catalogue)), next_index_(connection),
      step_(connections),
      sent_capacity_(std::max<size_t>(1024, remembered_pairs / connections)) {
  std::seed_seq sequence{static_cast<uint32_t>(seed),
                         static_cast<uint32_t>(seed >> 32),
                         static_cast<uint32_t>(connection)};
  random_.seed(sequence);
  // The smallest user u >= 1 with u % connections == connection, and how
  // many of 1..users there are from it on, `connections` apart.
  auto first = connection == 0 ? connections : connection;
  auto users = static_cast<uint64_t>(catalogue_->users);
  first_user_ = static_cast<int32_t>(std::min<uint64_t>(first, users + 1));
  user_slots_ = first > users ? 0 : (users - first) / connections + 1;
}

bool synthetic_source::next(planned_request& out) {
  if (user_slots_ == 0 || next_index_ >= catalogue_->count)
    return false;
  out.index = next_index_;
  next_index_ += step_;
  std::uniform_real_distribution<double> unit{0, 1};
  auto rerate = !sent_.empty() && unit(random_) < catalogue_->rerate;
  out.what = rerate ? earlier_pair() : fresh_pair();
  out.what.half_stars =
      static_cast<int16_t>(std::uniform_int_distribution<int>{1, 10}(random_));
  if (catalogue_->timestamps) {
    auto now = std::chrono::system_clock::now().time_since_epoch();
    out.what.timestamp =
        std::chrono::duration_cast<std::chrono::seconds>(now).count();
  }
  return true;
}

rating synthetic_source::fresh_pair() {
  std::uniform_int_distribution<uint64_t> slot{0, user_slots_ - 1};
  std::uniform_real_distribution<double> unit{0, 1};
  rating r;
  r.user = static_cast<int32_t>(static_cast<uint64_t>(first_user_) +
                                slot(random_) * step_);
  r.movie = catalogue_->movies[catalogue_->popularity.rank(unit(random_))];
  remember(r);
  return r;
}

rating synthetic_source::earlier_pair() {
  std::uniform_int_distribution<size_t> pick{0, sent_.size() - 1};
  auto [user, movie] = sent_[pick(random_)];
  rating r;
  r.user = user;
  r.movie = movie;
  return r;
}

void synthetic_source::remember(const rating& r) {
  if (sent_.size() < sent_capacity_) {
    sent_.emplace_back(r.user, r.movie);
  } else {
    std::uniform_int_distribution<size_t> pick{0, sent_capacity_ - 1};
    sent_[pick(random_)] = {r.user, r.movie};
  }
}

std::vector<std::unique_ptr<request_source>>
make_sources(const run_options& options) {
  return options.workload == workload_kind::replay
             ? make_replay_sources(options)
             : make_synthetic_sources(options);
}

} // namespace heymovie::loadgen
