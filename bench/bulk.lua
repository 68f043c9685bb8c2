-- POST /companies/bulk with 10 new companies per request; each wrk thread
-- numbers its own companies so emails never collide.
local token = os.getenv("GUILD_BENCH_TOKEN")
math.randomseed(os.time())
counter = 0
tag = ""
setup = function(thread)
  thread:set("tag", tostring(math.random(1, 1000000000)))
end
request = function()
  local items = {}
  for i = 1, 10 do
    counter = counter + 1
    local id = tag .. "-" .. counter
    items[i] = string.format('{"companyName":"Bulk %s","companyPhone":"5550100","companyEmail":"office-%s@bulk.example.com","country":"US","adminFirstName":"Ada","adminLastName":"Admin","adminEmail":"admin-%s@bulk.example.com"}', id, id, id)
  end
  return wrk.format("POST", "/api/v3/io/companies/bulk", { ["authToken"] = token, ["Content-Type"] = "application/json" }, "[" .. table.concat(items, ",") .. "]")
end
done = function(summary, latency, requests)
  io.write(string.format("companies/s: %.0f (10 per request)\n", summary.requests / (summary.duration / 1e6) * 10))
end
