-- GET /hub/api/users/<name>, cycling through the seeded users user00000@example.com ... user09999@example.com.
local token = os.getenv("BENCH_TOKEN")
local users = tonumber(os.getenv("USERS") or "10000")
local n = 0
request = function()
  local name = string.format("user%05d@example.com", n % users)
  n = n + 1
  return wrk.format("GET", "/hub/api/users/" .. name, {["Authorization"] = "token " .. token})
end
