-- The read endpoints look up a movie's ratings (rolling average per year).
CREATE INDEX ratings_by_movie ON ratings (movie_id);
