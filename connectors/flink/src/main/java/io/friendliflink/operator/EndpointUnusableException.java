package io.friendliflink.operator;

import org.apache.flink.runtime.throwable.ThrowableAnnotation;
import org.apache.flink.runtime.throwable.ThrowableType;

/**
 * The endpoint cannot serve this run at all (credentials refused, unreachable, no token): the job stops at once.
 *
 * <p>Non-recoverable for Flink's failover ({@link ThrowableType#NonRecoverableError}): restarting from a
 * checkpoint would meet the same endpoint, so the job fails without restarts, and the message is what the
 * user must fix.
 */
@ThrowableAnnotation(ThrowableType.NonRecoverableError)
public final class EndpointUnusableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EndpointUnusableException(String message) {
        super(message, null, false, false);
    }

    /** The first such exception in {@code failure}'s causes, or {@code null}. */
    public static EndpointUnusableException findIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof EndpointUnusableException e) {
                return e;
            }
        }
        return null;
    }
}
