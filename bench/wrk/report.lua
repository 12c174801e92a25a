-- Shared by the wrk scripts: sums every thread's status counters into one line the bench script reads.
local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

function done(summary, latency, requests)
  local ok, denied, other = 0, 0, 0
  for _, thread in ipairs(threads) do
    ok = ok + thread:get("ok")
    denied = denied + thread:get("denied")
    other = other + thread:get("other")
  end
  io.write(string.format("STATUS ok=%d denied=%d other=%d errors=%d duration_us=%d\n", ok, denied, other,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.duration))
end
