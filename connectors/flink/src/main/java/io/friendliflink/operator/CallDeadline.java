package io.friendliflink.operator;

/**
 * When a call's time is up: {@code calls.deadline} from its first attempt, as {@link
 * io.friendliflink.policy.RetryPolicy} counts it and the README says; a call not sent yet gets as long from
 * entering the operator for its first turn (so a budget that cannot admit it ends it instead of holding it).
 */
record CallDeadline(long deadlineNanos) {

    long expiresAt(long enteredNanos, int attempts, long firstAttemptNanos) {
        return (attempts == 0 ? enteredNanos : firstAttemptNanos) + deadlineNanos;
    }
}
