-- GET /companies/{id} for random ids in 1..GUILD_BENCH_COMPANIES.
local token = os.getenv("GUILD_BENCH_TOKEN")
local n = tonumber(os.getenv("GUILD_BENCH_COMPANIES") or "1000000")
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/api/v3/io/companies/" .. math.random(1, n), { ["authToken"] = token })
end
