-- wrk script: POST /rating with valid random ratings: movies drawn uniformly
-- from a MovieLens movies.csv (the first argument after `--`, by default the
-- repository's copy, run from its root), users from 1..1,000,000, ratings 0.5..5.0. With a second
-- argument, a file of "USER TOKEN" lines (`heymovie token --user=1..20000`),
-- users are drawn from it and each rating carries its user's bearer token,
-- as an app reuses its token.
--   wrk -t2 -c64 -d30s -s tools/wrk/random_ratings.lua http://127.0.0.1:8080 -- movies.csv [tokens.txt]
-- The requests are generated up front (250,000 per thread, then cycled: at
-- 35,000/s, the second half of a 20 s run rates again what the first half
-- rated, which the service answers 200), so that wrk spends its time on the
-- connections rather than in Lua.

local pool_size = 250000
local pool = {}
local next_index = 1

function init(args)
  local path = args[1] or "tests/data/movielens-small/movies.csv"
  local file = assert(io.open(path, "r"))
  local movies = {}
  for line in file:lines() do
    local id = line:match("^(%d+),")
    if id then movies[#movies + 1] = id end
  end
  file:close()
  local users, tokens = {}, {}
  if args[2] then
    for line in assert(io.open(args[2], "r")):lines() do
      local user, token = line:match("^(%d+) (%S+)$")
      if user then
        users[#users + 1] = tonumber(user)
        tokens[#tokens + 1] = token
      end
    end
  end
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16))
  for i = 1, pool_size do
    local headers = {["Content-Type"] = "application/json"}
    local user = math.random(1, 1000000)
    if #users > 0 then
      local k = math.random(#users)
      user = users[k]
      headers["Authorization"] = "Bearer " .. tokens[k]
    end
    local body = string.format('{"user":%d,"movie":%s,"rating":%.1f}',
      user, movies[math.random(#movies)], math.random(1, 10) / 2)
    pool[i] = wrk.format("POST", "/rating", headers, body)
  end
end

function request()
  local r = pool[next_index]
  next_index = next_index % pool_size + 1
  return r
end

-- done(): the shared report, from the file beside this one.
dofile((debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "") .. "report.lua")
