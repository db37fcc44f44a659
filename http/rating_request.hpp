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

/// What a POST /rating body says, and which optional fields it gave.
struct rating_fields {
  persistence::rating value;
  /// Whether `user` was given; when not, `value.user` is 0 (the token's
  /// subject goes there).
  bool user_given = true;
  /// Whether `timestamp` was given (else `value.rated_at` is the time of
  /// receipt).
  bool timestamp_given = false;
};

using fields_or_error = std::variant<rating_fields, api_error>;

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

  /// The same, with which optional fields were given; `user_required`:
  /// whether a body without `user` is refused (as without a token, whose
  /// subject could stand in for it).
  fields_or_error read(std::string& body, int64_t now, bool user_required);

private:
  simdjson::ondemand::parser json_;
  const persistence::movie_catalog& catalog_;
};

/// `{"user":1,"movie":1,"rating":4.0,"timestamp":964982703}`.
std::string rating_json(const persistence::rating& r);

} // namespace heymovie::http
