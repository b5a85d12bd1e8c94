package io.friendliflink.datastream;

import io.friendliflink.api.response.InferenceResult;
import java.util.List;
import org.apache.flink.annotation.PublicEvolving;

/**
 * An element whose request the endpoint answered with success.
 *
 * @param input the element, as it entered
 * @param result the parsed answer: choices, text, tool calls, logprobs, usage
 * @param body the answer as received: JSON, or the SSE text of a stream
 * @param status the HTTP status of the answer
 * @param attempts how many times the request was sent
 * @param latencyMs from sending the last attempt to its answer
 * @param totalLatencyMs from sending the first attempt to the answer, waits between attempts included
 * @param retries one entry per retry: the category of the attempt that failed ({@code rate_limited},
 *     {@code server_error}, ...)
 */
@PublicEvolving
public record Answered<T>(
        T input,
        InferenceResult result,
        String body,
        int status,
        int attempts,
        long latencyMs,
        long totalLatencyMs,
        List<String> retries) {
    public Answered {
        retries = List.copyOf(retries);
    }
}
