-- POST /v1/check with a key drawn at random from the file named by BENCH_KEYS (one key per line), and counts
-- the answers by status so a run reports how many checks were admitted (200) and denied (429).
local keys = {}
for line in io.lines(os.getenv("BENCH_KEYS")) do
  if #line > 0 then keys[#keys + 1] = line end
end
local count = #keys

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

ok, denied, other = 0, 0, 0

function request()
  return wrk.format(nil, nil, nil, '{"apiKey":"' .. keys[math.random(count)] .. '","cost":1}')
end

function response(status)
  if status == 200 then ok = ok + 1 elseif status == 429 then denied = denied + 1 else other = other + 1 end
end

dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
