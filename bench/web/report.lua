-- wrk script: latency percentiles as seen by the client, and the server's own time read from
-- each response's Server-Timing header, printed as one JSON line for bench/inbox/load.py.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  server = {}
  count = 0
end

function response(status, headers, body)
  local timing = headers["Server-Timing"] or headers["server-timing"]
  if timing then
    local dur = timing:match("dur=([%d%.]+)")
    if dur then
      count = count + 1
      server[count] = tonumber(dur)
    end
  end
end

function done(summary, latency, requests)
  local all = {}
  for _, thread in ipairs(threads) do
    for _, value in ipairs(thread:get("server")) do
      table.insert(all, value)
    end
  end
  table.sort(all)
  local function pct(p)
    if #all == 0 then return -1 end
    return all[math.max(1, math.ceil(#all * p / 100))]
  end
  local e = summary.errors
  io.write(string.format(
    'JSON {"requests": %d, "seconds": %.2f, "errors": %d, "p50_ms": %.1f, "p95_ms": %.1f, ' ..
    '"p99_ms": %.1f, "max_ms": %.1f, "server_p50_ms": %.1f, "server_p95_ms": %.1f, ' ..
    '"server_p99_ms": %.1f, "server_samples": %d}\n',
    summary.requests, summary.duration / 1e6,
    e.status + e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, pct(50), pct(95), pct(99), #all))
end
