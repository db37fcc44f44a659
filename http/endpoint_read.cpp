#include "http/endpoint_read.hpp"

#include "http/rating_request.hpp"
#include "http/read_responses.hpp"
#include "http/session.hpp"

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

std::optional<persistence::db_error>
endpoint_read::run(persistence::read_queries& db) {
  auto res = render(db);
  if (!res)
    return res.error();
  answer(std::move(*res));
  return std::nullopt;
}

namespace {

/// What `found` holds, rendered by `f`; or the error that kept it.
template<class T, class F>
persistence::db_result<response> render_found(persistence::db_result<T> found,
                                              F f) {
  if (!found)
    return found.error();
  return f(*found);
}

} // namespace

persistence::db_result<response>
endpoint_read::render(persistence::read_queries& db) {
  auto not_found = [&](std::string what) {
    return error_response({api_errc::not_found, std::move(what)}, ctx_);
  };
  auto unknown_movie = [&] {
    return not_found("movie " + std::to_string(route_.id) + " is not known");
  };
  switch (route_.kind) {
  case route_kind::movie:
    return render_found(db.movie(route_.id), [&](auto& m) {
      return m ? json_response(movie_json(*m), ctx_) : unknown_movie();
    });
  case route_kind::rolling_average:
    return render_found(db.rolling_average(route_.id), [&](auto& years) {
      return years
                 ? json_response(rolling_average_json(route_.id, *years), ctx_)
                 : unknown_movie();
    });
  case route_kind::top_movies:
    return render_found(
        db.top(route_.limit, route_.min_votes), [&](auto& movies) {
          return json_response(
              top_movies_json(route_.limit, route_.min_votes, movies), ctx_);
        });
  case route_kind::user_rating:
    return render_found(db.find_rating(route_.id, route_.movie), [&](auto& r) {
      return r ? json_response(rating_json(*r), ctx_)
               : not_found("user " + std::to_string(route_.id) +
                           " has not rated movie " +
                           std::to_string(route_.movie));
    });
  case route_kind::user_ratings:
    // One more than shown: whether a next page exists.
    return render_found(
        db.user_ratings(route_.id, route_.after, route_.limit + 1),
        [&](auto& page) {
          return json_response(user_ratings_json(route_.id, route_.limit, page),
                               ctx_);
        });
  default:
    if (auto err = db.ping())
      return *err;
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
