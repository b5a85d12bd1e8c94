package io.friendliflink.job.report;

/**
 * A chart axis from zero to a round maximum, with round tick steps (1, 2 or 5 times a power of ten), mapped onto
 * a length in pixels.
 */
record Scale(double max, double step, double pixels) {

    /** The scale from zero that holds {@code largest} in about {@code ticks} steps; an empty range reads as 0..1. */
    static Scale of(double largest, int ticks, double pixels) {
        if (!(largest > 0) || Double.isInfinite(largest)) {
            return new Scale(1, 1.0 / ticks, pixels);
        }
        double raw = largest / ticks;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double residual = raw / magnitude;
        double step = (residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10) * magnitude;
        return new Scale(Math.ceil(largest / step - 1e-9) * step, step, pixels);
    }

    /** A fixed range, as for shares from 0 to 1. */
    static Scale fixed(double max, double step, double pixels) {
        return new Scale(max, step, pixels);
    }

    double toPixels(double value) {
        return Math.max(0, Math.min(value, max)) / max * pixels;
    }

    int tickCount() {
        return (int) Math.round(max / step);
    }
}
