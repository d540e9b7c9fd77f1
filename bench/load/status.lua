-- wrk script for overload.sh and soak.sh: like paths.lua (each connection walks URLFILE's paths from its thread's
-- offset), but counts answers by status (200, 304, 4xx, 503, other 5xx) instead of failing on non-2xx, and every
-- CONDITIONAL_EVERY-th request (0 = never) carries If-None-Match: * so that 304 answers are part of the mix.
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
  conditional_every = tonumber(os.getenv("CONDITIONAL_EVERY") or "0")
  sent, responses, s200, s304, s4xx, s503, s5xx, other = 0, 0, 0, 0, 0, 0, 0, 0
end

function request()
  next_index = next_index % #paths + 1
  sent = sent + 1
  if conditional_every > 0 and sent % conditional_every == 0 then
    return wrk.format("GET", paths[next_index], { ["If-None-Match"] = "*" })
  end
  return wrk.format("GET", paths[next_index])
end

function response(status, headers, body)
  responses = responses + 1
  if status == 200 then s200 = s200 + 1
  elseif status == 304 then s304 = s304 + 1
  elseif status == 503 then s503 = s503 + 1
  elseif status >= 400 and status < 500 then s4xx = s4xx + 1
  elseif status >= 500 then s5xx = s5xx + 1
  else other = other + 1 end
  if responses >= budget then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local t = { s200 = 0, s304 = 0, s4xx = 0, s503 = 0, s5xx = 0, other = 0 }
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + (thread:get(k) or 0) end
  end
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f s200=%d s304=%d s4xx=%d s503=%d s5xx=%d other=%d socket_errors=%d timeouts=%d\n",
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, t.s200, t.s304, t.s4xx, t.s503, t.s5xx, t.other, errors, summary.errors.timeout))
end
