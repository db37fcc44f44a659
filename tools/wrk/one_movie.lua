-- wrk script: gives one movie COUNT ratings, from users 1..COUNT, dated over
-- 1996-2025 (so with an import token: only its scope may set the
-- timestamp): the popular film of issue #23, written through the API.
--   wrk -t2 -c64 -d600s -s tools/wrk/one_movie.lua URL -- MOVIE COUNT TOKEN THREADS
-- THREADS must be wrk's -t: thread k sends users k+1, k+1+THREADS, ... and
-- then starts again, with the same rating and date for each user (which
-- changes nothing), so stop wrk (SIGINT) once the database holds COUNT
-- ratings of the movie; tools/bench does.

local thread_count = 0

function setup(thread)
  thread:set("id", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  movie = args[1]
  count = tonumber(args[2])
  headers = {["Content-Type"] = "application/json",
             ["Authorization"] = "Bearer " .. args[3]}
  step = tonumber(args[4])
  next_user = id + 1
end

function request()
  local user = next_user
  next_user = next_user + step
  if next_user > count then next_user = id + 1 end
  local timestamp = 820454400 + (user * 7919) % 946080000
  return wrk.format("POST", "/rating", headers, string.format(
    '{"user":%d,"movie":%s,"rating":%.1f,"timestamp":%d}',
    user, movie, (user % 10 + 1) / 2, timestamp))
end

-- done(): the shared report, from the file beside this one.
dofile((debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "") .. "report.lua")
