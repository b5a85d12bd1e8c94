package io.friendliflink.job.resume;

import io.friendliflink.job.config.ConfigSection;

/**
 * The {@code resume:} section.
 *
 * @param enabled skip every {@code custom_id} the output already holds (on by default: rerunning a killed
 *     run completes it)
 * @param retryErrors send again the ids whose rows are in {@code errors/} instead of skipping them
 */
public record ResumeSettings(boolean enabled, boolean retryErrors) {

    public static ResumeSettings from(ConfigSection s) {
        return new ResumeSettings(s.bool("enabled", true), s.bool("retry-errors", false));
    }
}
