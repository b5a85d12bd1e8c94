package io.friendliflink.operator;

import io.friendliflink.sink.ErrorRow;
import io.friendliflink.sink.ResultRow;
import java.util.List;

/**
 * How one request ended: a result row or an error row, and what it took to get there.
 *
 * @param retryCauses one entry per retry, the failed attempt's category ({@code rate_limited},
 *     {@code server_error}, ...), for the run's counters
 */
public record CallOutcome(ResultRow result, ErrorRow error, List<String> retryCauses) {
    public CallOutcome {
        if ((result == null) == (error == null)) {
            throw new IllegalArgumentException("exactly one of result and error must be set");
        }
        retryCauses = List.copyOf(retryCauses);
    }

    public static CallOutcome success(ResultRow result, List<String> retryCauses) {
        return new CallOutcome(result, null, retryCauses);
    }

    public static CallOutcome failure(ErrorRow error, List<String> retryCauses) {
        return new CallOutcome(null, error, retryCauses);
    }

    public boolean isSuccess() {
        return result != null;
    }
}
