-- wrk script: POST /rating with valid random ratings: movies drawn uniformly
-- from a MovieLens movies.csv (the first argument after `--`, by default the
-- shared data set), users from 1..1,000,000, ratings 0.5..5.0.
--   wrk -t2 -c64 -d30s -s tools/wrk/random_ratings.lua http://127.0.0.1:8080 -- movies.csv
-- The requests are generated up front (250,000 per thread, then cycled:
-- enough for runs of a minute without repeats), so that wrk spends its time
-- on the connections rather than in Lua.

local pool_size = 250000
local pool = {}
local next_index = 1

function init(args)
  local path = args[1] or "../shared/data/movielens-small/movies.csv"
  local file = assert(io.open(path, "r"))
  local movies = {}
  for line in file:lines() do
    local id = line:match("^(%d+),")
    if id then movies[#movies + 1] = id end
  end
  file:close()
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16))
  for i = 1, pool_size do
    local body = string.format('{"user":%d,"movie":%s,"rating":%.1f}',
      math.random(1, 1000000), movies[math.random(#movies)],
      math.random(1, 10) / 2)
    pool[i] = wrk.format("POST", "/rating",
      {["Content-Type"] = "application/json"}, body)
  end
end

function request()
  local r = pool[next_index]
  next_index = next_index % pool_size + 1
  return r
end

-- done(): the shared report, from the file beside this one.
dofile((debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "") .. "report.lua")
