-- wrk script for load.sh: each connection walks the request paths of URLFILE (one per line) in turn, every thread
-- starting at its own offset so threads do not ask for the same tile together. A thread stops after its share of
-- MAX_REQUESTS responses. done() prints one 'RESULT key=value ...' line that load.sh parses.
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in assert(io.open(os.getenv("URLFILE"), "r"), "URLFILE cannot be read"):lines() do
    line = line:gsub("^https?://[^/]+", ""):gsub("%s+$", "")
    if #line > 0 then paths[#paths + 1] = line end
  end
  assert(#paths > 0, "URLFILE holds no paths")
  local count = tonumber(os.getenv("WRK_THREADS") or "1")
  next_index = math.floor(id * #paths / count)
  budget = math.floor(tonumber(os.getenv("MAX_REQUESTS") or "1000000") / count)
  responses, non2xx = 0, 0
end

function request()
  next_index = next_index % #paths + 1
  return wrk.format("GET", paths[next_index])
end

function response(status, headers, body)
  responses = responses + 1
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
  if responses >= budget then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local non = 0
  for _, thread in ipairs(threads) do non = non + (thread:get("non2xx") or 0) end
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d socket_errors=%d bytes=%d\n",
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, non, errors, summary.bytes))
end
