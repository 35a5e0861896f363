-- GET /hub/api/users pages of 200 with JupyterHub's pagination media type, cycling through every
-- page of the USERS seeded users (offset 0, 200, 400, ...).
local token = os.getenv("BENCH_TOKEN")
local users = tonumber(os.getenv("USERS") or "10000")
local pages = math.floor((users + 199) / 200)
local n = 0
request = function()
  local offset = (n % pages) * 200
  n = n + 1
  return wrk.format("GET", "/hub/api/users?offset=" .. offset .. "&limit=200", {
    ["Authorization"] = "token " .. token,
    ["Accept"] = "application/jupyterhub-pagination+json",
  })
end
