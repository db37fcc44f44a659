#include "loadgen/verifier.hpp"

#include "loadgen/recorder.hpp"
#include "loadgen/verify_rule.hpp"

#include <pqxx/pqxx>

#include <charconv>
#include <cstdio>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <tuple>
#include <unordered_map>

namespace heymovie::loadgen {

namespace {

const std::vector<option_spec> table = {
    {"record", "PATH", "the record written by loadgen run --record"},
    {"db", "URL", "libpq URL of the service's database"},
    {"show", "N", "mismatches to print (default 20)"},
};

struct pair_state {
  pair_history history;
  bool stored = false; // a row was found
};

struct record_contents {
  std::unordered_map<uint64_t, pair_state> pairs;
  uint64_t requests = 0;
  uint64_t acknowledged = 0;
  uint64_t uncertain = 0;
};

uint64_t key_of(int32_t user, int32_t movie) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(user)) << 32) |
         static_cast<uint32_t>(movie);
}

std::string stars(int64_t half_stars) {
  return std::to_string(half_stars / 2) + (half_stars % 2 ? ".5" : ".0");
}

std::string rating_text(const rating& r) {
  return stars(r.half_stars) +
         (r.has_timestamp() ? " @ " + std::to_string(r.timestamp) : "");
}

record_contents read_record(const std::string& path) {
  std::ifstream in{path};
  if (!in)
    throw std::runtime_error(path + ": cannot open");
  record_contents out;
  std::string line;
  for (uint64_t number = 1; std::getline(in, line); ++number) {
    std::string error;
    auto entry = parse_record_line(line, error);
    if (!entry)
      throw std::runtime_error(path + ":" + std::to_string(number) + ": " +
                               error);
    auto& r = entry->what;
    out.pairs[key_of(r.user, r.movie)].history.add(r, entry->status);
    ++out.requests;
    auto result = outcome_of(entry->status);
    out.acknowledged += result == outcome::acknowledged;
    out.uncertain += result == outcome::uncertain;
  }
  return out;
}

// Collects mismatches, keeping the first few for display.
class mismatch_log {
public:
  explicit mismatch_log(size_t show) : show_(show) {}

  void add(const std::string& what) {
    if (count_++ < show_)
      shown_.push_back(what);
  }

  uint64_t count() const { return count_; }

  void print() const {
    for (auto& line : shown_)
      std::printf("  %s\n", line.c_str());
    if (count_ > shown_.size())
      std::printf("  ... and %llu more\n",
                  static_cast<unsigned long long>(count_ - shown_.size()));
  }

private:
  size_t show_;
  uint64_t count_ = 0;
  std::vector<std::string> shown_;
};

std::string pair_name(int32_t user, int32_t movie) {
  return "user " + std::to_string(user) + " movie " + std::to_string(movie);
}

using ratings_row = std::tuple<int32_t, int32_t, int16_t, int64_t>;

// One line of COPY's text format: four integer columns, tab-separated
// (libpqxx 6.4's tuple extraction from stream_from is unreliable, and
// integers need no unescaping).
std::optional<ratings_row> parse_copy_row(std::string_view line) {
  if (!line.empty() && line.back() == '\n')
    line.remove_suffix(1);
  ratings_row row;
  auto field = [&](auto& value) {
    auto tab = line.find('\t');
    auto text = line.substr(0, tab);
    line.remove_prefix(tab == std::string_view::npos ? line.size() : tab + 1);
    auto [end, ec] =
        std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc{} && end == text.data() + text.size();
  };
  auto& [user, movie, half_stars, rated_at] = row;
  if (field(user) && field(movie) && field(half_stars) && field(rated_at) &&
      line.empty())
    return row;
  return std::nullopt;
}

// Every stored rating of a recorded pair against the record; then the
// acknowledged pairs without a row. Returns the number of pairs checked.
uint64_t check_ratings(pqxx::transaction_base& tx, record_contents& record,
                       mismatch_log& log) {
  pqxx::stream_from rows{tx, "ratings",
                         std::vector<std::string>{"user_id", "movie_id",
                                                  "half_stars", "rated_at"}};
  std::string line;
  while (rows.get_raw_line(line)) {
    auto row = parse_copy_row(line);
    if (!row)
      throw std::runtime_error("unexpected ratings row '" + line + "'");
    auto [user, movie, half_stars, rated_at] = *row;
    auto i = record.pairs.find(key_of(user, movie));
    if (i == record.pairs.end() || !i->second.history.acknowledged())
      continue;
    auto& history = i->second.history;
    i->second.stored = true;
    if (!history.accepts(half_stars, rated_at))
      log.add(pair_name(user, movie) + ": stored " + stars(half_stars) + " @ " +
              std::to_string(rated_at) + ", but the last " +
              "acknowledged request was " +
              rating_text(history.last_acknowledged()) + " (" +
              std::to_string(history.uncertain_after()) +
              " uncertain requests after it)");
  }
  rows.complete();
  uint64_t checked = 0;
  for (auto& [key, state] : record.pairs) {
    if (!state.history.acknowledged())
      continue;
    ++checked;
    if (!state.stored)
      log.add(pair_name(static_cast<int32_t>(key >> 32),
                        static_cast<int32_t>(key & 0xffffffffu)) +
              ": lost acknowledged rating " +
              rating_text(state.history.last_acknowledged()));
  }
  return checked;
}

std::unordered_map<int32_t, movie_aggregate>
aggregates(pqxx::transaction_base& tx, const char* sql) {
  std::unordered_map<int32_t, movie_aggregate> out;
  for (const auto& row : tx.exec(sql))
    out[row[0].as<int32_t>()] = {row[1].as<int64_t>(), row[2].as<int64_t>()};
  return out;
}

// Returns the number of movies checked.
uint64_t check_movies(pqxx::transaction_base& tx, mismatch_log& log) {
  auto stored =
      aggregates(tx, "SELECT id, vote_count, rating_sum FROM movie_totals");
  auto implied = aggregates(tx, "SELECT movie_id, count(*), sum(half_stars) "
                                "FROM ratings GROUP BY movie_id");
  for (auto& m : compare_aggregates(stored, implied)) {
    auto implied_text = std::to_string(m.implied.votes) + " votes, sum " +
                        std::to_string(m.implied.sum);
    if (!m.stored)
      log.add("movie " + std::to_string(m.movie) +
              ": not in movies, but rated (" + implied_text + ")");
    else
      log.add("movie " + std::to_string(m.movie) + ": stored " +
              std::to_string(m.stored->votes) + " votes, sum " +
              std::to_string(m.stored->sum) + "; its ratings imply " +
              implied_text);
  }
  return stored.size();
}

/// The (movie, year) pairs whose figures differ from what the ratings table
/// implies: the rolling average's inputs. Years whose figures net to zero
/// count as absent.
constexpr const char* mismatched_years =
    "SELECT coalesce(f.movie_id, r.movie_id), coalesce(f.year, r.year),"
    " coalesce(f.votes, 0), coalesce(f.half_stars, 0),"
    " coalesce(r.votes, 0), coalesce(r.half_stars, 0)"
    " FROM (SELECT movie_id, year, sum(votes) AS votes,"
    "        sum(half_stars) AS half_stars FROM movie_figures"
    "       GROUP BY 1, 2 HAVING sum(votes) <> 0 OR sum(half_stars) <> 0) f"
    " FULL JOIN (SELECT movie_id, extract(year FROM to_timestamp(rated_at)"
    "             AT TIME ZONE 'UTC')::integer AS year,"
    "            count(*) AS votes, sum(half_stars) AS half_stars"
    "            FROM ratings GROUP BY 1, 2) r"
    " ON f.movie_id = r.movie_id AND f.year = r.year"
    " WHERE f.votes IS DISTINCT FROM r.votes"
    "  OR f.half_stars IS DISTINCT FROM r.half_stars";

void check_years(pqxx::transaction_base& tx, mismatch_log& log) {
  for (const auto& row : tx.exec(mismatched_years))
    log.add("movie " + row[0].as<std::string>() + " in " +
            row[1].as<std::string>() + ": figures " + row[2].as<std::string>() +
            " votes, sum " + row[3].as<std::string>() + "; its ratings imply " +
            row[4].as<std::string>() + " votes, sum " +
            row[5].as<std::string>());
}

} // namespace

const std::vector<option_spec>& verify_option_table() {
  return table;
}

verify_options parse_verify_options(const command_line& args) {
  if (!args.has("record") || !args.has("db"))
    throw usage_error("verify needs --record=PATH and --db=URL");
  verify_options out;
  out.record_path = args.text("record");
  out.db_url = args.text("db");
  out.show = static_cast<size_t>(args.integer("show", 20, 0, 1000000));
  return out;
}

int verify(const verify_options& options) {
  try {
    auto record = read_record(options.record_path);
    size_t acknowledged_pairs = 0;
    for (auto& [key, state] : record.pairs)
      acknowledged_pairs += state.history.acknowledged();
    std::printf("record      %llu requests (%llu acknowledged, %llu without "
                "a certain outcome) on %zu pairs, %zu of them acknowledged\n",
                static_cast<unsigned long long>(record.requests),
                static_cast<unsigned long long>(record.acknowledged),
                static_cast<unsigned long long>(record.uncertain),
                record.pairs.size(), acknowledged_pairs);
    mismatch_log log{options.show};
    pqxx::connection connection{options.db_url};
    // One snapshot for the rows and the figure queries.
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx{connection};
    auto pairs_checked = check_ratings(tx, record, log);
    auto rating_mismatches = log.count();
    auto movies_checked = check_movies(tx, log);
    check_years(tx, log);
    tx.commit();
    std::printf("ratings     %llu pairs checked, %llu mismatches\n",
                static_cast<unsigned long long>(pairs_checked),
                static_cast<unsigned long long>(rating_mismatches));
    std::printf(
        "movies      %llu checked, %llu mismatches (totals and years)\n",
        static_cast<unsigned long long>(movies_checked),
        static_cast<unsigned long long>(log.count() - rating_mismatches));
    log.print();
    std::printf("%s\n", log.count() == 0 ? "verify: OK" : "verify: FAILED");
    return log.count() == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "loadgen verify: %s\n", e.what());
    return 2;
  }
}

} // namespace heymovie::loadgen
