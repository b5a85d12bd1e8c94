package io.friendliflink.operator;

/**
 * Learns how far the job's token estimates are from the usage the endpoint reports, and scales new
 * estimates by it.
 *
 * <p>The estimate (a quarter of the prompt's characters plus {@code max_tokens}) misses what an endpoint
 * counts: a chat template's tokens, a tokenizer's own ratio. A budget corrects each grant once its answer
 * reports usage, but the corrections land on past slots while reservations are already booked seconds
 * ahead, so they come too late to slow the next ones: measured with the emulator, estimates of ~29 tokens
 * for ~44 counted sent 137% of a told tokens-per-minute limit until it answered 429.
 *
 * <p>The scale is a moving average of used / estimated, each answer compared with its own unscaled
 * estimate: hundreds of reservations are made before their answers come back, and comparing answers with
 * reservations scaled long ago would compound the same correction hundreds of times. One answer moves the
 * scale a tenth of the way, and counts as at most 4 (or 1/4) times its estimate.
 *
 * <p>Not thread-safe: the {@link RequestPacer} that owns it calls it only under its own lock (reservations and
 * answers do come from different threads).
 */
final class TokenEstimateScale {
    private static final double WEIGHT = 0.1;
    private static final double MIN_SAMPLE = 0.25;
    private static final double MAX_SAMPLE = 4;

    private double scale = 1;

    long apply(long estimate) {
        return Math.max(1, Math.round(estimate * scale));
    }

    /** One answer: its request was estimated at {@code estimated} tokens, and {@code used} were reported. */
    void learn(long estimated, long used) {
        if (estimated <= 0 || used <= 0) {
            return; // refused or failed: nothing was generated, which says nothing of the estimate
        }
        double sample = Math.max(MIN_SAMPLE, Math.min(MAX_SAMPLE, (double) used / estimated));
        scale += WEIGHT * (sample - scale);
    }

    double scale() {
        return scale;
    }
}
