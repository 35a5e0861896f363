-- GET /hub/api/users?offset=5000&limit=200 with JupyterHub's pagination media type: one page of
-- 200 users from the middle of the 10,000, as issue #14 measures it (the same page every time).
local token = os.getenv("BENCH_TOKEN")
request = function()
  return wrk.format("GET", "/hub/api/users?offset=5000&limit=200", {
    ["Authorization"] = "token " .. token,
    ["Accept"] = "application/jupyterhub-pagination+json",
  })
end
