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
/// $1..$5: user ids, movie ids, half stars, Unix seconds and their calendar
/// years (UTC), element-wise; $6: the writer's figure slot. The shard
/// guarantees that a batch holds each (user, movie) at most once.
///
/// - staged: the rows with the half stars and time each replaces (NULL when
///   new), one primary-key lookup per row. Locked as read: a rating another
///   client (another service on the database) changes meanwhile is waited for
///   and read as it committed, so the figures move by the value actually
///   replaced (the snapshot's would be stale).
/// - inserted/updated: new rows are plainly inserted, existing ones updated.
///   Cheaper than ON CONFLICT (no speculative insertion); a row that another
///   client inserts meanwhile makes the statement fail with a unique
///   violation, which the writer retries (the retry finds the row).
/// - changes, figures: per (movie, year), the votes and half stars added and
///   taken away (a replaced rating leaves the year it was given in), added to
///   this writer's slot, in (movie, year) order: writers of other slots never
///   wait for these rows, and two of one slot (another process) lock them in
///   the same order, so they cannot deadlock on them (nor on ratings: the
///   writer sends the rows in (user, movie) order). A new figure row's foreign
///   key refuses a movie that is not there (the whole statement fails; the
///   writer splits the batch to find the row), and a movie with figure rows
///   cannot be deleted: no rating commits without its movie.
///
/// Returns the position (from 1) of every row that replaced a rating. All
/// parts see the same snapshot, so a repeat of a batch that did commit finds
/// its own rows and moves no figure.
inline constexpr const char* write_rating_batch =
    "WITH staged AS MATERIALIZED ("
    "  SELECT d.seq, d.user_id, d.movie_id, d.half_stars, d.rated_at, d.year,"
    "   p.half_stars AS previous, p.rated_at AS previous_at"
    "  FROM unnest($1::integer[], $2::integer[], $3::smallint[],"
    "              $4::bigint[], $5::integer[]) WITH ORDINALITY"
    "   AS d(user_id, movie_id, half_stars, rated_at, year, seq)"
    "  LEFT JOIN LATERAL ("
    "   SELECT r.half_stars, r.rated_at FROM ratings r"
    "   WHERE r.user_id = d.user_id AND r.movie_id = d.movie_id"
    "   FOR NO KEY UPDATE) p ON true),"
    " inserted AS ("
    "  INSERT INTO ratings (user_id, movie_id, half_stars, rated_at)"
    "  SELECT user_id, movie_id, half_stars, rated_at FROM staged"
    "  WHERE previous IS NULL),"
    " updated AS ("
    "  UPDATE ratings r SET half_stars = s.half_stars, rated_at = s.rated_at"
    "  FROM staged s WHERE s.previous IS NOT NULL"
    "   AND r.user_id = s.user_id AND r.movie_id = s.movie_id),"
    " changes AS ("
    "  SELECT movie_id, year, 1 AS votes, half_stars::integer AS half_stars"
    "  FROM staged"
    "  UNION ALL"
    "  SELECT movie_id,"
    "   extract(year FROM to_timestamp(previous_at) AT TIME ZONE 'UTC')"
    "   ::integer, -1, -previous"
    "  FROM staged WHERE previous IS NOT NULL),"
    " figures AS ("
    "  INSERT INTO movie_figures AS f"
    "   (movie_id, year, slot, votes, half_stars)"
    "  SELECT movie_id, year, $6::smallint, sum(votes), sum(half_stars)"
    "  FROM changes GROUP BY movie_id, year ORDER BY movie_id, year"
    "  ON CONFLICT (movie_id, year, slot) DO UPDATE"
    "  SET votes = f.votes + EXCLUDED.votes,"
    "      half_stars = f.half_stars + EXCLUDED.half_stars)"
    " SELECT seq FROM staged WHERE previous IS NOT NULL";

/// How many figure slots there are: a process's writers take them from
/// db.figure-slot on, so writers of processes given different ranges never
/// wait on each other's figure rows.
inline constexpr int figure_slots = 16;

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

/// A movie with its figures summed over years and slots.
inline constexpr const char* select_movie =
    "SELECT m.id, m.title, array_to_string(m.genres, '|'),"
    " coalesce(sum(f.votes), 0), coalesce(sum(f.half_stars), 0)"
    " FROM movies m LEFT JOIN movie_figures f ON f.movie_id = m.id"
    " WHERE m.id = $1 GROUP BY m.id";

/// One row per calendar year (UTC) with ratings, cumulative; one row with a
/// NULL year for a movie without ratings; none for an unknown movie. Reads
/// the movie's figure rows, never its ratings.
inline constexpr const char* select_rolling_average =
    "SELECT y.year, sum(y.votes) OVER w, sum(y.half_stars) OVER w"
    " FROM movies m LEFT JOIN LATERAL ("
    "  SELECT f.year, sum(f.votes) AS votes, sum(f.half_stars) AS half_stars"
    "  FROM movie_figures f WHERE f.movie_id = m.id"
    "  GROUP BY f.year HAVING sum(f.votes) > 0) y ON true"
    " WHERE m.id = $1"
    " WINDOW w AS (ORDER BY y.year) ORDER BY y.year";

/// $1: how many, $2: least votes.
inline constexpr const char* select_top_movies =
    "SELECT m.id, m.title, array_to_string(m.genres, '|'),"
    " t.vote_count, t.rating_sum"
    " FROM movie_totals t JOIN movies m ON m.id = t.id"
    " WHERE t.vote_count >= greatest($2::bigint, 1)"
    " ORDER BY t.rating_sum::float8 / t.vote_count DESC, t.vote_count DESC,"
    "  m.id"
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
