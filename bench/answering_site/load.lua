-- wrk script of bench/answering.py: one phase of the load, chosen by the arguments after "--".
--
--   wrk ... -s load.lua http://127.0.0.1:PORT -- get PATH THREADS
--   wrk ... -s load.lua http://127.0.0.1:PORT -- page TOKENS THREADS
--   wrk ... -s load.lua http://127.0.0.1:PORT -- submit TOKENS THREADS BODY COOKIE
--
-- "get" asks for one fixed path; "page" opens the questionnaire of the tokens in the file TOKENS
-- (one a line) in turn; "submit" posts the form body in the file BODY once per token, every
-- token at most once (thread i of n takes tokens i+1, i+1+n, ...). If a thread runs out of
-- tokens it asks for /bench/trivial/ instead and counts it as "exhausted": the run is then void.
-- done() prints machine-readable lines that bench/answering.py reads.

local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("thread_id", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

local mode, fixed_path, body, headers
local tokens = {}
local next_token = 1
statuses = {}
sent = 0
exhausted = 0

local function read_lines(name, id, count)
  local lines, index = {}, 0
  for line in io.lines(name) do
    if line ~= "" then
      if index % count == id then
        table.insert(lines, line)
      end
      index = index + 1
    end
  end
  return lines
end

function init(args)
  mode = args[1]
  local count = tonumber(args[3] or "1")
  if mode == "get" then
    fixed_path = args[2]
  else
    tokens = read_lines(args[2], thread_id, count)
  end
  if mode == "submit" then
    local file = assert(io.open(args[4], "rb"))
    body = file:read("*a")
    file:close()
    headers = {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Cookie"] = args[5],
    }
  end
  -- wrk calls request() once on thread 0 before the run to check the script; not sent.
  if thread_id == 0 then
    sent = -1
  end
end

function request()
  sent = sent + 1
  if mode == "get" then
    return wrk.format("GET", fixed_path)
  end
  if mode == "page" then
    local token = tokens[next_token]
    next_token = next_token % #tokens + 1
    return wrk.format("GET", "/experiences/answer/" .. token .. "/")
  end
  local token = tokens[next_token]
  if token == nil then
    exhausted = exhausted + 1
    return wrk.format("GET", "/bench/trivial/")
  end
  next_token = next_token + 1
  return wrk.format("POST", "/experiences/answer/" .. token .. "/", headers, body)
end

function response(status, response_headers, response_body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "RESULT duration_us=%d requests=%d bytes=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.duration, summary.requests, summary.bytes, errors.connect, errors.read,
    errors.write, errors.status, errors.timeout))
  io.write(string.format(
    "LATENCY mean_us=%.0f max_us=%d p50_us=%d p90_us=%d p95_us=%d p99_us=%d\n",
    latency.mean, latency.max, latency:percentile(50), latency:percentile(90),
    latency:percentile(95), latency:percentile(99)))
  for _, thread in ipairs(threads) do
    io.write(string.format("THREAD sent=%d exhausted=%d\n", thread:get("sent"),
      thread:get("exhausted")))
    for status, count in pairs(thread:get("statuses")) do
      io.write(string.format("STATUS %d %d\n", status, count))
    end
  end
end
