-- The bench's wrk script: every request carries the next account's token (the bench's token file,
-- one JWT per line), each thread starting at its own offset, like the Gatling scenario's users taken
-- in turn. Arguments after "--": token file, path, method. Answers are counted by status per thread
-- and summed in done(), which prints one line the bench parses: WRK_RESULT {json}.
local tokens = {}
local next_token = 0
local path = "/"
local method = "GET"
codes = {}

local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then tokens[#tokens + 1] = line end
  end
  path = args[2]
  method = args[3] or "GET"
  next_token = (id * 7919) % #tokens
end

function request()
  next_token = next_token % #tokens + 1
  local headers = { ["Authorization"] = "Bearer " .. tokens[next_token] }
  local body = nil
  if method == "POST" then
    headers["Content-Type"] = "application/json"
    body = "{}"
  end
  return wrk.format(method, path, headers, body)
end

function response(status, headers, body)
  codes[status] = (codes[status] or 0) + 1
end

function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("codes")) do
      totals[status] = (totals[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(totals) do
    parts[#parts + 1] = string.format('"%d":%d', status, count)
  end
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"durationMicros":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,'
      .. '"timeouts":%d,"non2xx3xx":%d,"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d,"codes":{%s}}\n',
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout, summary.errors.status, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9), latency.max, table.concat(parts, ",")))
end
