-- wrk: GET /v1/search with a mix of queries (words of the trade, a phrase, a prefix, a made-up word of
-- the generated vocabulary), 20 hits with snippets each. Token from the environment (BENCH_TOKEN).
local queries = { "boiler", "jansen%20lease", "gas%20safety%20certificate", "insp", "uberprufung", "deposit%20tenant", "meter" }
local token = os.getenv("BENCH_TOKEN")
local counter = 0

request = function()
    counter = counter + 1
    local q = queries[(counter % #queries) + 1]
    return wrk.format("GET", "/v1/search?q=" .. q .. "&limit=20", { ["Authorization"] = "Bearer " .. token })
end

response = function(status, headers, body)
    if status ~= 200 then
        io.stderr:write("search answered " .. status .. "\n")
    end
end
