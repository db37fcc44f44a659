-- wrk script: GET /movies/{id} for random movie ids of a MovieLens
-- movies.csv (the first argument after `--`), to measure reads while writes
-- run at full speed.
--   wrk -t1 -c8 -d20s -s tools/wrk/random_reads.lua http://127.0.0.1:8080 -- movies.csv

local movies = {}

function init(args)
  local path = args[1] or "../shared/data/movielens-small/movies.csv"
  local file = assert(io.open(path, "r"))
  for line in file:lines() do
    local id = line:match("^(%d+),")
    if id then movies[#movies + 1] = "/movies/" .. id end
  end
  file:close()
  math.randomseed(os.time())
end

function request()
  return wrk.format("GET", movies[math.random(#movies)])
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    "BENCH rps=%.0f p50_ms=%.2f p99_ms=%.2f non2xx=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, errors))
end
