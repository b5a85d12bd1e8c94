package io.friendliflink.policy;

/**
 * Tells when an endpoint cannot serve a run at all, so the run stops with one clear message instead of
 * turning every input line into the same error row (at 100 requests a minute, a million lines of 401s take
 * a week).
 *
 * <p>The rules, per subtask:
 * <ul>
 *   <li><b>Credentials refused</b>: {@value #DEFAULT_REFUSALS} answers {@code 401}/{@code 403} before any
 *       success. Once one request succeeded, a later refusal (say, a model the token may not use) is that
 *       request's error row, not a reason to stop.
 *   <li><b>Unreachable</b>: not a single HTTP answer, and attempts that could not connect for
 *       {@value #DEFAULT_UNREACHABLE_SECONDS} s since the first of them, or {@value #DEFAULT_CONNECT_FAILURES}
 *       of them. Any answer, even an error status, proves the endpoint is there and ends this rule.
 * </ul>
 *
 * <p>Clock-free: the caller passes the time. Thread-safe.
 */
public final class FailFast {
    public static final int DEFAULT_REFUSALS = 5;
    public static final int DEFAULT_CONNECT_FAILURES = 20;
    public static final int DEFAULT_UNREACHABLE_SECONDS = 30;

    private final int refusalsToStop;
    private final int connectFailuresToStop;
    private final long unreachableNanos;

    private boolean answered;
    private boolean succeeded;
    private int refusals;
    private int connectFailures;
    private long firstConnectFailureNanos;

    public FailFast(int refusalsToStop, int connectFailuresToStop, long unreachableNanos) {
        if (refusalsToStop < 1) {
            throw new IllegalArgumentException("refusalsToStop must be >= 1, was " + refusalsToStop);
        }
        if (connectFailuresToStop < 1) {
            throw new IllegalArgumentException("connectFailuresToStop must be >= 1, was " + connectFailuresToStop);
        }
        if (unreachableNanos <= 0) {
            throw new IllegalArgumentException("unreachableNanos must be > 0, was " + unreachableNanos);
        }
        this.refusalsToStop = refusalsToStop;
        this.connectFailuresToStop = connectFailuresToStop;
        this.unreachableNanos = unreachableNanos;
    }

    /** The documented rules. */
    public static FailFast ofDefaults() {
        return new FailFast(DEFAULT_REFUSALS, DEFAULT_CONNECT_FAILURES, DEFAULT_UNREACHABLE_SECONDS * 1_000_000_000L);
    }

    /**
     * An HTTP answer arrived.
     *
     * @param endpointSays the endpoint's own error message, if any, for the reason
     * @return why the run must stop, or {@code null} to go on
     */
    public synchronized String onAnswer(int status, String endpointSays) {
        answered = true;
        if (status >= 200 && status < 300) {
            succeeded = true;
            return null;
        }
        if ((status == 401 || status == 403) && !succeeded && ++refusals >= refusalsToStop) {
            return "the endpoint refused the credentials: " + refusals + " answers were " + status
                    + (status == 401 ? " Unauthorized" : " Forbidden") + " and none succeeded"
                    + (endpointSays == null || endpointSays.isBlank() ? "" : " (\"" + endpointSays + "\")")
                    + ". Check the token (endpoint.token-env or endpoint.token-file) and endpoint.team-id";
        }
        return null;
    }

    /**
     * An attempt could not open a connection.
     *
     * @return why the run must stop, or {@code null} to go on
     */
    public synchronized String onConnectFailure(String what, long nowNanos) {
        if (answered) {
            return null;
        }
        if (connectFailures++ == 0) {
            firstConnectFailureNanos = nowNanos;
        }
        long waited = nowNanos - firstConnectFailureNanos;
        if (connectFailures >= connectFailuresToStop || waited >= unreachableNanos) {
            return "the endpoint cannot be reached: " + connectFailures + " attempts over " + waited / 1_000_000_000L
                    + " s could not connect and none was answered (last: " + what
                    + "). Check endpoint.base-url and that the server is running";
        }
        return null;
    }
}
