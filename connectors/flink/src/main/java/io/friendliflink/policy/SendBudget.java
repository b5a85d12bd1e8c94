package io.friendliflink.policy;

/**
 * One rule on when a request may be sent: a per-minute budget, a rate, a pause the endpoint asked for. A pacer
 * holds a list of them, grants a send at the earliest instant every one allows, and charges them all there.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #nanosUntilAvailable} changes nothing, and any time far enough after the latest reservation is
 *       allowed, so that a caller asking each rule in turn until none moves the time stops.
 *   <li>{@link #reserve} is called only at a time {@link #nanosUntilAvailable} allowed.
 *   <li>A send costs one request carrying {@code tokens} tokens (0 when nothing counts tokens); each rule counts
 *       what it limits and ignores the rest.
 * </ul>
 *
 * <p>Flink connector-base's {@code RateLimitingStrategy} (decide when to block) is the model; time is passed in,
 * never read (Netflix concurrency-limits' {@code Limit}). Implementations are not thread-safe: their owner
 * serializes calls.
 */
public interface SendBudget {
    /** Nanoseconds from {@code atNanos} until a request carrying {@code tokens} may be sent (0: then). */
    long nanosUntilAvailable(long tokens, long atNanos);

    /** Charges a request carrying {@code tokens} at {@code atNanos}. */
    void reserve(long tokens, long atNanos);

    /**
     * A request reserved at {@code grantedAtNanos} will not be sent: what it was charged is given back. By
     * default nothing is: a rate or a pause keeps its schedule, as a send that did not happen costs it nothing.
     */
    default void release(long tokens, long grantedAtNanos, long nowNanos) {
    }

    /**
     * Whether it limits what the endpoint counts in a window of arrivals, so that a send much later than its
     * grant could land in a window it was not checked against ({@link Quota#SEND_MARGIN}).
     */
    default boolean countsArrivals() {
        return false;
    }
}
