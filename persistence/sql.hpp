// Every SQL statement the service runs, as named constants (the schema itself
// lives in persistence/migrations).

#pragma once

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

// -- the rating batch ---------------------------------------------------------
// One transaction per batch: COPY into rating_stage; one set-based upsert that
// also reports each row's previous rating; one update of the touched movies'
// aggregates, locking them in id order (a fixed lock order, so that
// concurrent writers cannot deadlock); COMMIT. The shard guarantees that
// a batch holds each (user, movie) at most once.

/// Per connection; emptied by every commit.
inline constexpr const char* create_rating_stage =
    "CREATE TEMP TABLE IF NOT EXISTS rating_stage ("
    " seq integer NOT NULL,"
    " user_id integer NOT NULL,"
    " movie_id integer NOT NULL,"
    " half_stars smallint NOT NULL,"
    " rated_at bigint NOT NULL"
    ") ON COMMIT DELETE ROWS";

inline constexpr const char* rating_stage_table = "rating_stage";

/// Per writer connection: the batch statements are prepared and their plans
/// (index lookups, nested loops) fit every batch size we send, so planning
/// them again for each execution (PostgreSQL's default for the first runs
/// and whenever it prefers a custom plan) is wasted time.
inline constexpr const char* use_generic_plans =
    "SET plan_cache_mode = force_generic_plan";

/// Returns (seq, previous half stars or NULL) for every staged row. The
/// previous value is a correlated subquery, so that each row is one
/// primary-key lookup whatever the planner thinks of the unanalysed stage.
inline constexpr const char* upsert_ratings =
    "WITH staged AS MATERIALIZED ("
    "  SELECT s.seq, s.user_id, s.movie_id, s.half_stars, s.rated_at,"
    "   (SELECT r.half_stars FROM ratings r"
    "    WHERE r.user_id = s.user_id AND r.movie_id = s.movie_id) AS previous"
    "  FROM rating_stage s),"
    " upsert AS ("
    "  INSERT INTO ratings (user_id, movie_id, half_stars, rated_at)"
    "  SELECT user_id, movie_id, half_stars, rated_at FROM staged"
    "  ON CONFLICT (user_id, movie_id) DO UPDATE"
    "  SET half_stars = EXCLUDED.half_stars, rated_at = EXCLUDED.rated_at)"
    " SELECT seq, previous FROM staged";

/// $1: movie ids (ascending), $2: votes added, $3: half stars added,
/// element-wise. The CTE locks the rows in id order; a row is updated only
/// after the CTE has produced (and so locked) it and every lower id, so
/// concurrent writers always lock in the same order and cannot deadlock.
inline constexpr const char* update_movie_aggregates =
    "WITH locked AS MATERIALIZED ("
    "  SELECT id FROM movies WHERE id = ANY ($1::integer[])"
    "  ORDER BY id FOR NO KEY UPDATE)"
    " UPDATE movies m"
    " SET vote_count = m.vote_count + d.added,"
    "     rating_sum = m.rating_sum + d.delta"
    " FROM unnest($1::integer[], $2::bigint[], $3::bigint[])"
    "  AS d(id, added, delta)"
    " WHERE m.id = d.id AND m.id IN (SELECT id FROM locked)";

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
