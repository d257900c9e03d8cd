-- Cycle through the query mix (one path per line in the file named by WRK_PATHS); print a JSON
-- summary. After WRK_MAX requests a thread asks to stop, but wrk does not end the run for it
-- (wg/wrk#281): a run is bounded by its -d, and a run bounded by requests needs another client.
local paths = {}
local max_requests = tonumber(os.getenv("WRK_MAX") or "5000")

init = function(args)
  local f = assert(io.open(os.getenv("WRK_PATHS"), "r"))
  for line in f:lines() do
    if #line > 0 then paths[#paths + 1] = line end
  end
  f:close()
  counter = 0
  sent = 0
end

request = function()
  counter = counter % #paths + 1
  sent = sent + 1
  return wrk.format("GET", paths[counter])
end

response = function(status, headers, body)
  if sent >= max_requests then
    wrk.thread:stop()
  end
end

done = function(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format(
    '{"requests": %d, "duration_s": %.3f, "rps": %.2f, "p50_ms": %.2f, "p95_ms": %.2f, ' ..
    '"p99_ms": %.2f, "max_ms": %.2f, "errors_status": %d, "errors_connect": %d, ' ..
    '"errors_timeout": %d, "errors_read": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, non2xx, summary.errors.connect, summary.errors.timeout,
    summary.errors.read))
end
