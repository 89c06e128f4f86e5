-- wrk script for bench/bench_surveys.py: POSTs distinct survey answers with one CSRF cookie and
-- token obtained beforehand. Environment: BENCH_PATH, BENCH_COOKIE, BENCH_TOKEN,
-- BENCH_SALESPERSON, BENCH_RUN (a label that keeps answers distinct across runs) and
-- BENCH_SECONDS (the measuring window). After the window every connection waits for the answer
-- of its last POST and sends no more (delay() returns an hour), so that no POST is cut off
-- in flight when wrk stops: every stored row was acknowledged. Run wrk for longer than
-- BENCH_SECONDS. done() prints one line "BENCH_RESULT key=value ..." for the Python script.

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock_id, bench_timespec *tp);
]])
local timespec = ffi.new("bench_timespec")

local function now()
  ffi.C.clock_gettime(1, timespec) -- CLOCK_MONOTONIC, shared by all threads
  return tonumber(timespec.tv_sec) + tonumber(timespec.tv_nsec) / 1e9
end

local path = os.getenv("BENCH_PATH")
local seconds = tonumber(os.getenv("BENCH_SECONDS") or "10")
local run = os.getenv("BENCH_RUN") or "0"
local headers = {
  ["Content-Type"] = "application/x-www-form-urlencoded",
  ["Cookie"] = os.getenv("BENCH_COOKIE"),
  ["Referer"] = "http://" .. (os.getenv("BENCH_HOST") or "127.0.0.1") .. path,
}
local fixed = "csrfmiddlewaretoken=" .. os.getenv("BENCH_TOKEN")
  .. "&salesperson=" .. os.getenv("BENCH_SALESPERSON")
  .. "&q_CSAT=4&q_CES=5&consent=on"

-- Main thread: number the threads and keep them for done().
local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  table.insert(threads, thread)
end

-- Each wrk thread has its own Lua state; its connections share these counters.
function init(args)
  sent, responses, acknowledged, errors = 0, 0, 0, 0
  started = now()
  deadline = started + seconds
  last_response = started
end

function delay()
  if now() >= deadline then
    return 3600000
  end
  return 0
end

function request()
  sent = sent + 1
  local n = sent
  -- Distinct answers per post, so that the identical-repeat guard never refuses one.
  local body = fixed
    .. "&q_CUS1=" .. (1 + n % 5)
    .. "&q_CUS2=" .. (1 + (n + id) % 5)
    .. "&q_CUS3=" .. (n % 11)
    .. "&why_CUS3=Vastaus+" .. run .. "-" .. id .. "-" .. n
  return wrk.format("POST", path, headers, body)
end

function response(status, response_headers, body)
  responses = responses + 1
  last_response = now()
  local location = response_headers["Location"] or response_headers["location"] or ""
  if status == 302 and location:find("/s/thanks/", 1, true) then
    acknowledged = acknowledged + 1
  else
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  local totals = { sent = 0, responses = 0, acknowledged = 0, errors = 0 }
  local first, last = math.huge, 0
  for _, thread in ipairs(threads) do
    for key, _ in pairs(totals) do
      totals[key] = totals[key] + thread:get(key)
    end
    first = math.min(first, thread:get("started"))
    last = math.max(last, thread:get("last_response"))
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT sent=%d responses=%d acknowledged=%d errors=%d socket_errors=%d "
      .. "elapsed_s=%.4f p50_us=%d p99_us=%d max_us=%d\n",
    totals.sent, totals.responses, totals.acknowledged, totals.errors,
    e.connect + e.read + e.write + e.timeout, last - first,
    latency:percentile(50), latency:percentile(99), latency.max
  ))
end
