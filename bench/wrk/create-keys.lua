-- Creates BENCH_COUNT rate-limit keys through POST /v1/api-keys (X-Admin-Token given with -H) with the limits in
-- BENCH_LIMITS (JSON), appending each new key to the file BENCH_KEYS. Run with one thread.
local wanted = tonumber(os.getenv("BENCH_COUNT"))
local out = io.open(os.getenv("BENCH_KEYS"), "a")
local created, sent = 0, 0

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"name":"bench","limits":' .. os.getenv("BENCH_LIMITS") .. '}'

function request()
  sent = sent + 1
  return wrk.format()
end

function response(status, headers, body)
  local key = body:match('"apiKey"%s*:%s*"([^"]+)"')
  if status == 200 and key and created < wanted then
    out:write(key, "\n")
    created = created + 1
    if created == wanted then out:flush() end
  end
  if created >= wanted then
    out:flush()
    wrk.thread:stop()
  end
end
