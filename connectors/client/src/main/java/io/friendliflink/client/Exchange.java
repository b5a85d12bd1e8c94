package io.friendliflink.client;

import io.friendliflink.api.ApiKind;
import java.util.concurrent.CompletableFuture;

/** One attempt: what to send, how long it may take, and the future its caller holds. */
final class Exchange {
    final ApiKind kind;
    /** The request path, or {@code null} for the endpoint's path for {@code kind}. */
    final String path;
    final byte[] body;
    final boolean stream;
    final long timeoutNanos;
    final CompletableFuture<HttpResult> future = new CompletableFuture<>();

    Exchange(ApiKind kind, String path, byte[] body, boolean stream, long timeoutNanos) {
        this.kind = kind;
        this.path = path;
        this.body = body;
        this.stream = stream;
        this.timeoutNanos = timeoutNanos;
    }

    /** A caller may cancel while the exchange waits for a connection; then it is never sent. */
    boolean isAbandoned() {
        return future.isDone();
    }
}
