-- POST /hub/api/users/<name>/activity as single-user servers do, cycling through the users with
-- ever newer times (a new second per request per thread, threads offset by a year), so every
-- report is newer than the one before and must be written.
local token = os.getenv("BENCH_TOKEN")
local users = tonumber(os.getenv("USERS") or "10000")
local base = 1900000000
local n = 0
thread_offset = 0 -- global: set per thread by setup()
local counter = 0
setup = function(thread)
  thread:set("thread_offset", counter * 31536000)
  counter = counter + 1
end
request = function()
  local name = string.format("bench-%05d", n % users)
  local when = os.date("!%Y-%m-%dT%H:%M:%S", base + thread_offset + n) .. ".000000Z"
  n = n + 1
  return wrk.format("POST", "/hub/api/users/" .. name .. "/activity", {
    ["Authorization"] = "token " .. token,
    ["Content-Type"] = "application/json",
  }, '{"last_activity": "' .. when .. '"}')
end
