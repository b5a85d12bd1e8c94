-- wrk: POST the same chat completion body the job sends (one of bench's request lines), keep-alive.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"bench-model","messages":[{"role":"user","content":"Write one short sentence about the sea, variant 1."}],"max_tokens":16}'
