-- POST /hub/api/users/<name>/activity as single-user servers do, cycling through the users with
-- ever newer times: from an hour ago, one millisecond later per request, threads 20 minutes apart,
-- so every report is newer than the one before for its user and must be written (and none is
-- more than an hour ahead, which JupyterHub rejects).
local token = os.getenv("BENCH_TOKEN")
local users = tonumber(os.getenv("USERS") or "10000")
local base = os.time() - 3600
local n = 0
local counter = 0
thread_offset = 0 -- global: set per thread by setup()
setup = function(thread)
  thread:set("thread_offset", counter * 1200)
  counter = counter + 1
end
request = function()
  local name = string.format("user%05d@example.com", n % users)
  local seconds = base + thread_offset + math.floor(n / 1000)
  local when = os.date("!%Y-%m-%dT%H:%M:%S", seconds) .. string.format(".%03dZ", n % 1000)
  n = n + 1
  return wrk.format("POST", "/hub/api/users/" .. name .. "/activity", {
    ["Authorization"] = "token " .. token,
    ["Content-Type"] = "application/json",
  }, '{"last_activity": "' .. when .. '"}')
end
