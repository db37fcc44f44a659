-- Movies with their rating aggregates, and one rating per (user, movie).
-- Ratings are stored as half stars (1..10) so that rating_sum stays exact.

CREATE TABLE movies (
  id integer PRIMARY KEY CHECK (id > 0),
  title text NOT NULL,
  genres text[] NOT NULL DEFAULT '{}',
  vote_count bigint NOT NULL DEFAULT 0 CHECK (vote_count >= 0),
  rating_sum bigint NOT NULL DEFAULT 0 CHECK (rating_sum >= 0)
);

CREATE TABLE ratings (
  user_id integer NOT NULL CHECK (user_id > 0),
  movie_id integer NOT NULL REFERENCES movies (id),
  half_stars smallint NOT NULL CHECK (half_stars BETWEEN 1 AND 10),
  rated_at bigint NOT NULL,
  PRIMARY KEY (user_id, movie_id)
);
