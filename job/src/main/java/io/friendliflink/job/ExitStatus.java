package io.friendliflink.job;

/**
 * How a run ended, as {@code _SUMMARY.json}'s {@code status} and the process's exit code, for schedulers.
 *
 * <p>{@code FINISHED} (0): every line has a result. {@code FINISHED_WITH_ERRORS} (3): the run finished, and some
 * lines have an error row, no more than {@code run.max-failed-share} of them. {@code FAILED} (1): the job failed,
 * the endpoint could not serve it (credentials refused, unreachable), or more lines failed than
 * {@code run.max-failed-share} allows. {@code INVALID} (2): the configuration or the input is wrong; nothing ran.
 * {@code CANCELLED} (130, as a shell reports Ctrl-C): stopped by a signal, what was answered committed.
 */
public enum ExitStatus {
    FINISHED(0),
    FAILED(1),
    INVALID(2),
    FINISHED_WITH_ERRORS(3),
    CANCELLED(130);

    private final int code;

    ExitStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The status of a run that finished, by its share of lines without a result. */
    public static ExitStatus ofFinished(RunSummary summary, double maxFailedShare) {
        if (summary.failedLines() == 0) {
            return FINISHED;
        }
        return summary.failedShare() <= maxFailedShare ? FINISHED_WITH_ERRORS : FAILED;
    }
}
