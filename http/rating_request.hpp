// POST /rating bodies to ratings and ratings to JSON: pure functions of their
// input (no sockets, no actors), so that every validation rule is unit-tested.

#pragma once

#include "http/api_error.hpp"
#include "persistence/movie_catalog.hpp"
#include "persistence/rating.hpp"

#include <simdjson.h>

#include <string>
#include <variant>

namespace heymovie::http {

using rating_or_error = std::variant<persistence::rating, api_error>;

/// Latest accepted timestamp: 9999-12-31T23:59:59Z.
inline constexpr int64_t max_timestamp = 253402300799;

/// Parses and validates `{"user": u, "movie": m, "rating": r}` with an
/// optional `"timestamp"` (unix seconds; `now` when absent). Not thread-safe:
/// one per thread, since it owns a simdjson parser.
class rating_request_parser {
public:
  explicit rating_request_parser(const persistence::movie_catalog& catalog);

  /// May grow `body`'s capacity (simdjson reads past the end).
  rating_or_error parse(std::string& body, int64_t now);

private:
  simdjson::ondemand::parser json_;
  const persistence::movie_catalog& catalog_;
};

/// `{"user":1,"movie":1,"rating":4.0,"timestamp":964982703}`.
std::string rating_json(const persistence::rating& r);

} // namespace heymovie::http
