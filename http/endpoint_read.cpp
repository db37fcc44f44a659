#include "http/endpoint_read.hpp"

#include "http/rating_request.hpp"
#include "http/read_responses.hpp"
#include "http/session.hpp"
#include "persistence/movie_reader.hpp"

#include <boost/asio/post.hpp>

namespace heymovie::http {

endpoint_read::endpoint_read(const route& what, std::shared_ptr<session> owner,
                             uint64_t slot, const response_context& ctx,
                             std::chrono::steady_clock::time_point deadline,
                             boost::asio::io_context& ioc)
    : route_(what), owner_(std::move(owner)), slot_(slot), ctx_(ctx),
      deadline_(deadline), ioc_(ioc) {
  // nop
}

const char* endpoint_read::name() const noexcept {
  switch (route_.kind) {
  case route_kind::movie:
    return "movie";
  case route_kind::rolling_average:
    return "rolling_average";
  case route_kind::top_movies:
    return "top_movies";
  case route_kind::user_rating:
    return "rating";
  case route_kind::user_ratings:
    return "user_ratings";
  default:
    return "ping";
  }
}

void endpoint_read::run(persistence::movie_reader& reader) {
  answer(render(reader));
}

response endpoint_read::render(persistence::movie_reader& reader) {
  auto not_found = [&](std::string what) {
    return error_response({api_errc::not_found, std::move(what)}, ctx_);
  };
  auto movie_text = [&] {
    return "movie " + std::to_string(route_.id);
  };
  switch (route_.kind) {
  case route_kind::movie:
    if (auto m = reader.movie(route_.id))
      return json_response(movie_json(*m), ctx_);
    return not_found(movie_text() + " is not known");
  case route_kind::rolling_average:
    if (auto years = reader.rolling_average(route_.id))
      return json_response(rolling_average_json(route_.id, *years), ctx_);
    return not_found(movie_text() + " is not known");
  case route_kind::top_movies:
    return json_response(
        top_movies_json(route_.limit, route_.min_votes,
                        reader.top(route_.limit, route_.min_votes)),
        ctx_);
  case route_kind::user_rating:
    if (auto r = reader.find_rating(route_.id, route_.movie))
      return json_response(rating_json(*r), ctx_);
    return not_found("user " + std::to_string(route_.id) +
                     " has not rated movie " + std::to_string(route_.movie));
  case route_kind::user_ratings:
    return json_response(
        user_ratings_json(
            route_.id, route_.limit,
            // One more than shown: whether a next page exists.
            reader.user_ratings(route_.id, route_.after, route_.limit + 1)),
        ctx_);
  default:
    reader.ping();
    return json_response(R"({"status":"ready"})", ctx_);
  }
}

void endpoint_read::fail(const persistence::db_error&) {
  auto message = route_.kind == route_kind::readyz
                     ? "the database is not reachable"
                     : "the database could not answer; retry later";
  answer(error_response({api_errc::unavailable, message}, ctx_));
}

void endpoint_read::refuse() {
  answer(error_response(
      {api_errc::shard_full, "too many reads waiting; retry later"}, ctx_));
}

void endpoint_read::answer(response res) {
  // The session goes with the answer: its last reference must drop on its
  // own thread, never on the reader's (it unregisters from its worker).
  if (!owner_)
    return; // answered already
  boost::asio::post(ioc_, [owner = std::move(owner_), slot = slot_,
                           res = std::move(res)]() mutable {
    owner->complete(slot, std::move(res));
  });
}

} // namespace heymovie::http
