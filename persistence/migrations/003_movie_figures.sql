-- A movie's aggregates leave its row for figures per (movie, calendar year,
-- writer slot), updated in place by the rating batch. Why (measured in the
-- README, "Storage"):
-- - each writer updates only its own slot's rows, so writers never wait on
--   each other's row locks (the movie rows made every batch wait for the
--   commit of the one before it), and the narrow rows keep their updates HOT;
-- - the per-year figures answer the rolling average without reading ratings;
-- - integrity moves to the figures: a rating commits only with its movie's
--   figure row, whose foreign key stops the movie from being deleted (a new
--   figure row checks the movie, an existing one keeps it), so the per-row
--   foreign key of ratings and the by-movie index, which only the rolling
--   average read, go.
-- A running older version must be stopped first: its statements name the
-- columns that go (they fail, unacknowledged, if it is not).

LOCK TABLE movies, ratings IN ACCESS EXCLUSIVE MODE;

CREATE TABLE movie_figures (
  movie_id integer NOT NULL REFERENCES movies (id),
  year integer NOT NULL,
  -- Which writer keeps the row; a movie's figures are the sums over slots,
  -- so one slot's votes may be negative (a rating moved by another writer).
  slot smallint NOT NULL CHECK (slot >= 0),
  votes bigint NOT NULL,
  half_stars bigint NOT NULL,
  PRIMARY KEY (movie_id, year, slot)
) WITH (fillfactor = 50);

INSERT INTO movie_figures (movie_id, year, slot, votes, half_stars)
SELECT movie_id,
       extract(year FROM to_timestamp(rated_at) AT TIME ZONE 'UTC')::integer,
       0, count(*), sum(half_stars)
FROM ratings GROUP BY 1, 2;

ALTER TABLE ratings DROP CONSTRAINT ratings_movie_id_fkey;
DROP INDEX ratings_by_movie;
ALTER TABLE movies DROP COLUMN vote_count, DROP COLUMN rating_sum;

-- Every movie with its vote count and sum of half stars, as the movies table
-- had them: what the top list ranks and what tools compare.
CREATE VIEW movie_totals AS
SELECT m.id,
       coalesce(sum(f.votes), 0)::bigint AS vote_count,
       coalesce(sum(f.half_stars), 0)::bigint AS rating_sum
FROM movies m LEFT JOIN movie_figures f ON f.movie_id = m.id
GROUP BY m.id;
