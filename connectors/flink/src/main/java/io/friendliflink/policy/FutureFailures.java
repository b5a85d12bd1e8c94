package io.friendliflink.policy;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Futures wrap the real failure in {@link CompletionException} or {@link ExecutionException}. */
public final class FutureFailures {
    private FutureFailures() {
    }

    /** The failure under any future wrappers: what to classify and what to tell the user. */
    public static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
