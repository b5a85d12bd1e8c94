package io.friendliflink.job.resume;

import io.friendliflink.job.config.ConfigSection;
import io.friendliflink.job.config.JobOptions;

/**
 * The {@code resume:} section.
 *
 * @param enabled skip every line the output already has a row for (on by default: rerunning a killed or
 *     failed run completes it, and sends nothing twice)
 * @param retryErrors which error rows of earlier runs a rerun sends again instead of keeping
 */
public record ResumeSettings(boolean enabled, RetryErrors retryErrors) {

    /** Which earlier failures a rerun sends again. */
    public enum RetryErrors {
        /**
         * Failures that say nothing against the request itself (see {@link ErrorTypes#isTransient}): rate
         * limited, server errors, timeouts, connections, truncated or malformed answers, deadlines, refused
         * credentials. The default: a rerun after an outage or a fixed token completes the work.
         */
        TRANSIENT,
        /** Every error row, bad input lines included (after fixing the input or the defaults). */
        ALL,
        /** None: every error row counts as done. */
        NONE;

        /** Whether an error row of {@code errorType} is sent again. */
        public boolean retries(String errorType) {
            return this == ALL || (this == TRANSIENT && ErrorTypes.isTransient(errorType));
        }
    }

    public static ResumeSettings from(ConfigSection s) {
        return new ResumeSettings(s.bool(JobOptions.RESUME_ENABLED), s.enumValue(JobOptions.RESUME_RETRY_ERRORS));
    }
}
