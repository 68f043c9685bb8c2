-- A filtered, sorted list page of 250; GUILD_BENCH_QUERY is the query string.
local token = os.getenv("GUILD_BENCH_TOKEN")
local query = os.getenv("GUILD_BENCH_QUERY") or "limit=250"
request = function()
  return wrk.format("GET", "/api/v3/io/companies?" .. query, { ["authToken"] = token })
end
