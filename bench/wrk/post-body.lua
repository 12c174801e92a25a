-- POST the JSON body in the file named by BENCH_BODY (headers from wrk -H) and count the answers by status.
local file = assert(io.open(os.getenv("BENCH_BODY"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"

ok, denied, other = 0, 0, 0

function response(status)
  if status == 200 then ok = ok + 1 elseif status == 429 then denied = denied + 1 else other = other + 1 end
end

dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
