package io.friendliflink.datastream;

import java.util.List;
import org.apache.flink.annotation.PublicEvolving;

/**
 * An element whose request cannot succeed: refused by the endpoint, out of attempts, past its deadline, or
 * not a valid request at all. The job goes on; each such element ends here once.
 *
 * @param input the element, as it entered
 * @param errorType why, as a stable name: {@code invalid_request}, {@code rate_limited}, {@code server_error},
 *     {@code deadline_exceeded}, {@code unsupported_request}, ...
 * @param message what happened, for a person
 * @param status the HTTP status of the last answer, or {@code null} when there was none
 * @param attempts how many times the request was sent (0: never)
 * @param retries one entry per retry: the category of the attempt that failed
 * @param body the last answer's body as received (an error body, or an answer refused as invalid output), or
 *     {@code null} when none came
 */
@PublicEvolving
public record Failed<T>(
        T input, String errorType, String message, Integer status, int attempts, List<String> retries, String body) {
    public Failed {
        retries = List.copyOf(retries);
    }

    /** A failure without an answer's body. */
    public Failed(T input, String errorType, String message, Integer status, int attempts, List<String> retries) {
        this(input, errorType, message, status, attempts, retries, null);
    }
}
