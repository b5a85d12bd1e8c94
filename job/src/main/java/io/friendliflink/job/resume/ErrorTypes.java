package io.friendliflink.job.resume;

import io.friendliflink.policy.FailureCategory;
import io.friendliflink.policy.SpendCap;
import java.util.Set;

/** Which {@code error_type}s a rerun sends again by default: those that say nothing against the request. */
public final class ErrorTypes {
    /** The operator's error type for a request that ran out of time (its deadline, or the operator's timeout). */
    public static final String DEADLINE_EXCEEDED = "deadline_exceeded";

    private static final Set<String> TRANSIENT = Set.of(
            FailureCategory.RATE_LIMITED.counterName(),
            FailureCategory.SERVER_ERROR.counterName(),
            FailureCategory.TIMEOUT.counterName(),
            FailureCategory.CONNECTION.counterName(),
            FailureCategory.TRUNCATED_STREAM.counterName(),
            FailureCategory.MALFORMED.counterName(),
            // 401/403: the run's credentials, not the request, were refused; a rerun with a fixed token sends it.
            FailureCategory.UNAUTHORIZED.counterName(),
            // An unexpected status or exception: rare, and cheaper to try again than to leave the line undone.
            FailureCategory.UNEXPECTED.counterName(),
            DEADLINE_EXCEEDED,
            // Not sent: the run's spending cap was reached; a rerun with a larger cap sends it.
            SpendCap.ERROR_TYPE);

    private ErrorTypes() {}

    /**
     * Whether a failure of this type may succeed when sent again unchanged. Bad lines ({@code invalid_json},
     * {@code invalid_request}, ...) and {@code client_error} (a 4xx other than 401, 403, 408 and 429) may not.
     */
    public static boolean isTransient(String errorType) {
        return TRANSIENT.contains(errorType);
    }
}
