package io.friendliflink.operator;

import io.friendliflink.datastream.Answered;
import io.friendliflink.datastream.Failed;
import java.util.List;
import org.apache.flink.annotation.Internal;

/** How one element's request ended, as the async operator emits it: exactly one of the two is set. */
@Internal
public record CallOutcome<T>(Answered<T> answered, Failed<T> failed) {
    public CallOutcome {
        if ((answered == null) == (failed == null)) {
            throw new IllegalArgumentException("exactly one of answered and failed must be set");
        }
    }

    public static <T> CallOutcome<T> of(Answered<T> answered) {
        return new CallOutcome<>(answered, null);
    }

    public static <T> CallOutcome<T> of(Failed<T> failed) {
        return new CallOutcome<>(null, failed);
    }

    public boolean isAnswered() {
        return answered != null;
    }

    /** The category of each failed attempt before the last one. */
    public List<String> retries() {
        return answered != null ? answered.retries() : failed.retries();
    }
}
