#include "http/rating_request.hpp"

#include <array>
#include <cmath>
#include <limits>

namespace heymovie::http {

namespace {

using simdjson::ondemand::json_type;
using simdjson::ondemand::number_type;

enum field_index { user_field, movie_field, rating_field, timestamp_field };

constexpr std::array<std::string_view, 4> field_names{"user", "movie", "rating",
                                                      "timestamp"};

api_error fail(api_errc code, std::string message) {
  return {code, std::move(message)};
}

/// A key as it may appear in a message: short, cut at a character boundary.
std::string printable_key(std::string_view key) {
  constexpr size_t max_len = 40;
  if (key.size() <= max_len)
    return std::string{key};
  size_t cut = max_len;
  while (cut > 0 && (static_cast<unsigned char>(key[cut]) & 0xC0) == 0x80)
    --cut;
  return std::string{key.substr(0, cut)} + "...";
}

/// Whether `token` (trailing whitespace allowed) follows JSON's number
/// grammar. simdjson reports "4." and 1e999 alike as number errors; only the
/// first is malformed, the second a number off the scale.
bool is_json_number(std::string_view token) {
  while (!token.empty() && (token.back() == ' ' || token.back() == '\t' ||
                            token.back() == '\n' || token.back() == '\r'))
    token.remove_suffix(1);
  size_t i = 0;
  auto digits = [&] {
    auto start = i;
    while (i < token.size() && token[i] >= '0' && token[i] <= '9')
      ++i;
    return i - start;
  };
  if (i < token.size() && token[i] == '-')
    ++i;
  if (i < token.size() && token[i] == '0')
    ++i;
  else if (digits() == 0)
    return false;
  if (i < token.size() && token[i] == '.' && (++i, digits() == 0))
    return false;
  if (i < token.size() && (token[i] == 'e' || token[i] == 'E')) {
    ++i;
    if (i < token.size() && (token[i] == '+' || token[i] == '-'))
      ++i;
    if (digits() == 0)
      return false;
  }
  return i == token.size();
}

/// Reads an integer field into `out` if it lies in [min, max].
std::optional<api_error> read_integer(simdjson::ondemand::value value,
                                      std::string_view name, int64_t min,
                                      int64_t max, int64_t& out) {
  auto range = std::string{name} + " must be an integer in " +
               std::to_string(min) + ".." + std::to_string(max);
  json_type type;
  if (value.type().get(type) != simdjson::SUCCESS)
    return fail(api_errc::malformed_json,
                "the value of " + std::string{name} + " is not valid JSON");
  if (type != json_type::number)
    return fail(api_errc::wrong_type, range);
  number_type kind;
  if (!is_json_number(value.raw_json_token()) ||
      value.get_number_type().get(kind) != simdjson::SUCCESS)
    return fail(api_errc::malformed_json,
                std::string{name} + " is not a valid JSON number");
  if (kind == number_type::floating_point_number)
    return fail(api_errc::wrong_type, range);
  // A valid integer that int64 cannot hold is out of range too.
  if (value.get_int64().get(out) != simdjson::SUCCESS || out < min || out > max)
    return fail(api_errc::out_of_range, range);
  return std::nullopt;
}

std::optional<api_error> read_half_stars(simdjson::ondemand::value value,
                                         uint8_t& out) {
  constexpr const char* scale =
      "rating must be a number from 0.5 to 5.0 in steps of 0.5";
  json_type type;
  if (value.type().get(type) != simdjson::SUCCESS)
    return fail(api_errc::malformed_json,
                "the value of rating is not valid JSON");
  if (type != json_type::number)
    return fail(api_errc::wrong_type, scale);
  if (!is_json_number(value.raw_json_token()))
    return fail(api_errc::malformed_json, "rating is not a valid JSON number");
  double stars = 0;
  if (value.get_double().get(stars) != simdjson::SUCCESS ||
      !std::isfinite(stars))
    return fail(api_errc::off_scale, scale);
  auto half = stars * 2;
  if (half < 1 || half > 10 || half != std::floor(half))
    return fail(api_errc::off_scale, scale);
  out = static_cast<uint8_t>(half);
  return std::nullopt;
}

} // namespace

rating_request_parser::rating_request_parser(
    const persistence::movie_catalog& catalog)
    : catalog_(catalog) {
  // nop
}

rating_or_error rating_request_parser::parse(std::string& body, int64_t now) {
  auto fields = read(body, now, true);
  if (auto* err = std::get_if<api_error>(&fields))
    return std::move(*err);
  return std::get<rating_fields>(fields).value;
}

fields_or_error rating_request_parser::read(std::string& body, int64_t now,
                                            bool user_required) {
  body.reserve(body.size() + simdjson::SIMDJSON_PADDING);
  simdjson::ondemand::document doc;
  if (json_.iterate(body.data(), body.size(), body.capacity()).get(doc) !=
      simdjson::SUCCESS)
    return fail(api_errc::malformed_json, "the body is not valid JSON");
  simdjson::ondemand::object object;
  if (doc.get_object().get(object) != simdjson::SUCCESS)
    return fail(api_errc::malformed_json,
                "the body must be a JSON object with user, movie and rating");
  std::array<bool, 4> seen{};
  std::array<int64_t, 4> ints{};
  uint8_t half_stars = 0;
  for (auto member : object) {
    simdjson::ondemand::field field;
    std::string_view key;
    if (std::move(member).get(field) != simdjson::SUCCESS ||
        field.unescaped_key().get(key) != simdjson::SUCCESS)
      return fail(api_errc::malformed_json, "the body is not valid JSON");
    size_t index = 0;
    while (index < field_names.size() && field_names[index] != key)
      ++index;
    if (index == field_names.size())
      return fail(api_errc::unknown_field,
                  "unknown field \"" + printable_key(key) +
                      "\"; expected user, movie, rating and timestamp");
    if (seen[index])
      return fail(api_errc::duplicate_key,
                  "field " + std::string{key} + " appears more than once");
    seen[index] = true;
    std::optional<api_error> problem;
    switch (index) {
    case user_field:
    case movie_field:
      problem = read_integer(field.value(), key, 1,
                             std::numeric_limits<int32_t>::max(), ints[index]);
      break;
    case rating_field:
      problem = read_half_stars(field.value(), half_stars);
      break;
    default:
      problem = read_integer(field.value(), key, 0, max_timestamp, ints[index]);
    }
    if (problem)
      return std::move(*problem);
  }
  // simdjson 3.0 has no document::at_end(): past the last token the current
  // location is out of bounds.
  if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS)
    return fail(api_errc::malformed_json,
                "unexpected content after the JSON object");
  for (size_t i : {user_field, movie_field, rating_field})
    if (!seen[i] && (i != user_field || user_required))
      return fail(api_errc::missing_field,
                  "missing field " + std::string{field_names[i]});
  rating_fields result;
  result.value.user = static_cast<int32_t>(ints[user_field]);
  result.value.movie = static_cast<int32_t>(ints[movie_field]);
  result.value.half_stars = half_stars;
  result.value.rated_at = seen[timestamp_field] ? ints[timestamp_field] : now;
  result.user_given = seen[user_field];
  result.timestamp_given = seen[timestamp_field];
  if (!catalog_.contains(result.value.movie))
    return fail(api_errc::unknown_movie,
                "movie " + std::to_string(result.value.movie) +
                    " is not known");
  return result;
}

std::string rating_json(const persistence::rating& r) {
  std::string out = R"({"user":)";
  out += std::to_string(r.user);
  out += R"(,"movie":)";
  out += std::to_string(r.movie);
  out += R"(,"rating":)";
  out += std::to_string(r.half_stars / 2);
  out += r.half_stars % 2 ? ".5" : ".0";
  out += R"(,"timestamp":)";
  out += std::to_string(r.rated_at);
  out += '}';
  return out;
}

} // namespace heymovie::http
