package io.friendliflink.job.mode;

/** The input cannot give a useful run: empty, of the wrong kind, or in the wrong place. The message says why. */
public final class InvalidInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }
}
