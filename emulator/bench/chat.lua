-- wrk script: POST one chat completion body per request (non-streamed).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer flp_bench"
wrk.body = '{"model":"meta-llama-3.1-8b-instruct","messages":[{"role":"user","content":"Write one short sentence about the sea."}],"max_tokens":16,"seed":1}'

local statuses = {}
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  io.write(string.format("completed=%d duration_s=%.2f completed_per_s=%.0f connect_errors=%d read_errors=%d write_errors=%d timeouts=%d non2xx=%d p50_ms=%.1f p99_ms=%.1f\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout, summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
