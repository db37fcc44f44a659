-- wrk script: GET /movies/{id} for random movie ids of a MovieLens
-- movies.csv (the first argument after `--`), to measure reads while writes
-- run at full speed.
--   wrk -t1 -c8 -d20s -s tools/wrk/random_reads.lua http://127.0.0.1:8080 -- movies.csv

local movies = {}

function init(args)
  local path = args[1] or "tests/data/movielens-small/movies.csv"
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

-- done(): the shared report, from the file beside this one.
dofile((debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "") .. "report.lua")
