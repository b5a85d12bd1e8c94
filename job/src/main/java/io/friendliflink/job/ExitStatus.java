package io.friendliflink.job;

/**
 * How a run ended, as {@code _SUMMARY.json}'s {@code status} and the process's exit code, for schedulers.
 *
 * <p>{@code FINISHED} (0): every line has a result. {@code FINISHED_WITH_ERRORS} (3): the run finished, and some
 * lines have an error row, no more than {@code run.max-failed-share} of them. {@code FAILED} (1): the job failed,
 * the endpoint could not serve it (credentials refused, unreachable), or more lines failed than
 * {@code run.max-failed-share} allows. {@code INVALID} (2): the configuration or the input is wrong; nothing ran.
 * {@code CANCELLED} (130, as a shell reports Ctrl-C): stopped by a signal, what was answered committed.
 * {@code BUDGET_EXHAUSTED} (4): the run reached its spending cap ({@code calls.max-total-tokens},
 * {@code calls.max-cost}); the lines it did not send have {@code budget_exhausted} error rows, which a rerun with a
 * larger cap sends. Those lines do not count towards {@code run.max-failed-share}.
 */
public enum ExitStatus {
    FINISHED(0),
    FAILED(1),
    INVALID(2),
    FINISHED_WITH_ERRORS(3),
    BUDGET_EXHAUSTED(4),
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
        if (summary.failedShareOfSent() > maxFailedShare) {
            return FAILED;
        }
        if (summary.budgetExhausted() > 0) {
            return BUDGET_EXHAUSTED;
        }
        return FINISHED_WITH_ERRORS;
    }
}
