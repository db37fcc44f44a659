// Every SQL statement the service runs, as named constants (the schema itself
// lives in persistence/migrations).

#pragma once

#include <chrono>
#include <string>

namespace heymovie::persistence::sql {

// -- migrations ---------------------------------------------------------------

/// Serializes concurrent migrations; released at commit.
inline constexpr const char* lock_migrations =
    "SELECT pg_advisory_xact_lock(7306041)";

inline constexpr const char* create_migrations_table =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version integer PRIMARY KEY,"
    " name text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now())";

inline constexpr const char* current_schema_version =
    "SELECT coalesce(max(version), 0) FROM schema_migrations";

inline constexpr const char* record_migration =
    "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)";

// -- connections --------------------------------------------------------------

/// Per service connection: a statement that outlives its request's deadline
/// is cancelled by the server, so that no reader or writer stays stuck at a
/// lock (and shutdown does not wait for one).
inline std::string set_statement_timeout(std::chrono::milliseconds timeout) {
  return "SET statement_timeout = " + std::to_string(timeout.count());
}

// -- the rating batch ---------------------------------------------------------

/// Per writer connection: the batch statement is prepared and its plan (index
/// lookups, nested loops) fits every batch size we send, so planning it again
/// for each execution (PostgreSQL's default for the first runs and whenever
/// it prefers a custom plan) is wasted time.
inline constexpr const char* use_generic_plans =
    "SET plan_cache_mode = force_generic_plan";

/// A whole batch in one statement, so one round trip and, run outside an
/// explicit transaction, its own transaction: it commits when it returns.
/// $1..$4: user ids, movie ids, half stars, Unix seconds, element-wise; the
/// shard guarantees that a batch holds each (user, movie) at most once.
///
/// - staged: the rows with their position and the half stars each replaces
///   (NULL when new), one primary-key lookup per row. Locked as read: a
///   rating another client (another service on the database) changes
///   meanwhile is waited for and read as it committed, so the aggregate
///   moves by the value actually replaced (the snapshot's would be stale).
/// - inserted/updated: new rows are plainly inserted, existing ones updated.
///   Cheaper than ON CONFLICT (no speculative insertion); a row that another
///   client inserts meanwhile makes the statement fail with a unique
///   violation, which the writer retries (the retry finds the row).
/// - deltas, locked, aggregates: the touched movies' vote counts and sums,
///   their rows locked in id order first (a fixed lock order, so that
///   concurrent writers cannot deadlock).
///
/// Returns (position from 1, previous half stars or NULL) for every row. All
/// parts see the same snapshot, so a repeat of a batch that did commit finds
/// its own rows and moves no aggregate.
inline constexpr const char* write_rating_batch =
    "WITH staged AS MATERIALIZED ("
    "  SELECT d.seq, d.user_id, d.movie_id, d.half_stars, d.rated_at,"
    "   (SELECT r.half_stars FROM ratings r"
    "    WHERE r.user_id = d.user_id AND r.movie_id = d.movie_id"
    "    FOR NO KEY UPDATE) AS previous"
    "  FROM unnest($1::integer[], $2::integer[], $3::smallint[],"
    "              $4::bigint[]) WITH ORDINALITY"
    "   AS d(user_id, movie_id, half_stars, rated_at, seq)),"
    " inserted AS ("
    "  INSERT INTO ratings (user_id, movie_id, half_stars, rated_at)"
    "  SELECT user_id, movie_id, half_stars, rated_at FROM staged"
    "  WHERE previous IS NULL),"
    " updated AS ("
    "  UPDATE ratings r SET half_stars = s.half_stars, rated_at = s.rated_at"
    "  FROM staged s WHERE s.previous IS NOT NULL"
    "   AND r.user_id = s.user_id AND r.movie_id = s.movie_id),"
    " deltas AS ("
    "  SELECT movie_id AS id,"
    "   count(*) FILTER (WHERE previous IS NULL) AS added,"
    "   sum(half_stars - coalesce(previous, 0)) AS delta"
    "  FROM staged GROUP BY movie_id),"
    " locked AS MATERIALIZED ("
    "  SELECT id FROM movies WHERE id IN (SELECT id FROM deltas)"
    "  ORDER BY id FOR NO KEY UPDATE),"
    " aggregates AS ("
    "  UPDATE movies m"
    "  SET vote_count = m.vote_count + d.added,"
    "      rating_sum = m.rating_sum + d.delta"
    "  FROM deltas d WHERE m.id = d.id AND m.id IN (SELECT id FROM locked))"
    " SELECT seq, previous FROM staged";

// -- the movie catalogue ------------------------------------------------------

inline constexpr const char* select_movie_ids =
    "SELECT id FROM movies ORDER BY id";

inline constexpr const char* create_movie_stage =
    "CREATE TEMP TABLE movie_stage ("
    " id integer NOT NULL, title text NOT NULL, genres text NOT NULL"
    ") ON COMMIT DROP";

inline constexpr const char* movie_stage_table = "movie_stage";

/// Inserts new movies, updates changed ones, leaves equal ones alone; returns
/// one row per inserted or updated movie saying which it was.
inline constexpr const char* upsert_movies =
    "INSERT INTO movies AS m (id, title, genres)"
    " SELECT id, title,"
    "  CASE WHEN genres IN ('', '(no genres listed)') THEN '{}'::text[]"
    "       ELSE string_to_array(genres, '|') END"
    " FROM movie_stage"
    " ON CONFLICT (id) DO UPDATE"
    " SET title = EXCLUDED.title, genres = EXCLUDED.genres"
    " WHERE (m.title, m.genres) IS DISTINCT FROM"
    "       (EXCLUDED.title, EXCLUDED.genres)"
    " RETURNING (xmax = 0) AS inserted";

// -- reads
// ----------------------------------------------------------------------

inline constexpr const char* select_movie =
    "SELECT id, title, array_to_string(genres, '|'), vote_count, rating_sum"
    " FROM movies WHERE id = $1";

/// One row per calendar year (UTC) with ratings, cumulative; one row with a
/// NULL year for a movie without ratings; none for an unknown movie.
inline constexpr const char* select_rolling_average =
    "SELECT y.year, sum(y.votes) OVER w, sum(y.half_stars) OVER w"
    " FROM movies m LEFT JOIN LATERAL ("
    "  SELECT extract(year FROM to_timestamp(r.rated_at) AT TIME ZONE 'UTC')"
    "         ::integer AS year,"
    "         count(*) AS votes, sum(r.half_stars) AS half_stars"
    "  FROM ratings r WHERE r.movie_id = m.id GROUP BY 1) y ON true"
    " WHERE m.id = $1"
    " WINDOW w AS (ORDER BY y.year) ORDER BY y.year";

/// $1: how many, $2: least votes.
inline constexpr const char* select_top_movies =
    "SELECT id, title, array_to_string(genres, '|'), vote_count, rating_sum"
    " FROM movies WHERE vote_count >= greatest($2::bigint, 1)"
    " ORDER BY rating_sum::float8 / vote_count DESC, vote_count DESC, id"
    " LIMIT $1";

inline constexpr const char* select_rating =
    "SELECT half_stars, rated_at FROM ratings"
    " WHERE user_id = $1 AND movie_id = $2";

/// Keyset pagination: $2 is the last movie id of the previous page.
inline constexpr const char* select_user_ratings =
    "SELECT movie_id, half_stars, rated_at FROM ratings"
    " WHERE user_id = $1 AND movie_id > $2 ORDER BY movie_id LIMIT $3";

inline constexpr const char* ping = "SELECT 1";

} // namespace heymovie::persistence::sql
