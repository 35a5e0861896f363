-- GET /hub/api/users/<name>, cycling through the seeded users bench-00000 .. bench-09999.
local token = os.getenv("BENCH_TOKEN")
local users = tonumber(os.getenv("USERS") or "10000")
local n = 0
request = function()
  local name = string.format("bench-%05d", n % users)
  n = n + 1
  return wrk.format("GET", "/hub/api/users/" .. name, {["Authorization"] = "token " .. token})
end
