-- wrk script: POSTs the JSON body in the file named by the BODY environment variable to the URL given to wrk,
-- and prints latency percentiles and error counts as one key=value line when done.
local f = assert(io.open(os.getenv("BODY"), "r"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout
  io.write(string.format(
      "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d p999_us=%d max_us=%d errors=%d non2xx=%d timeouts=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
      latency:percentile(99.9), latency.max, errors, summary.errors.status, summary.errors.timeout))
end
