-- wrk script for the bench workloads. Arguments after "--":
--   MODE [N] [TOKEN] [PATH]
--   MODE "project": GET /v1/projects/<random project id among 1..N>
--   MODE "fixed":   GET PATH
-- TOKEN (or "-") goes into Authorization: Bearer. Prints one RESULT line at the end, in
-- microseconds, that bench/run.sh reads.
local mode, n, token, fixed = "fixed", 1, "-", "/"
local counter = 0

function init(args)
  mode = args[1] or mode
  n = tonumber(args[2] or "1") or 1
  token = args[3] or "-"
  fixed = args[4] or fixed
  if token ~= "-" then wrk.headers["Authorization"] = "Bearer " .. token end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
end

function request()
  if mode == "project" then
    local id = string.format("/v1/projects/10000000-0000-4000-8000-%012x", math.random(1, n))
    return wrk.format("GET", id)
  end
  return wrk.format("GET", fixed)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d connect=%d read=%d write=%d timeout=%d status=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.timeout, e.status))
end
