-- A list page; GUILD_BENCH_QUERY is the query string, GUILD_BENCH_LIST the
-- list's path under /api/v3/io (default companies).
local token = os.getenv("GUILD_BENCH_TOKEN")
local query = os.getenv("GUILD_BENCH_QUERY") or "limit=250"
local list = os.getenv("GUILD_BENCH_LIST") or "companies"
request = function()
  return wrk.format("GET", "/api/v3/io/" .. list .. "?" .. query, { ["authToken"] = token })
end
