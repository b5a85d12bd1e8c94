package io.friendliflink.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * Immutable configuration of a {@link SlidingWindowBudget}: at most {@code permitsPerWindow} permits in any
 * window of length {@code window}, accounted in {@code slotsPerWindow} slots.
 *
 * <p>More slots cost a little more work per reservation and let a saturated budget reach a larger share of
 * its limit: a greedy caller gets {@code slotsPerWindow / (slotsPerWindow + 1)} of it (98.4% with the default
 * 60 slots), because the guarantee is checked over one slot more than a window.
 *
 * <pre>{@code
 * BudgetConfig rpm = BudgetConfig.custom().permitsPerWindow(600).window(Duration.ofMinutes(1)).build();
 * }</pre>
 */
public final class BudgetConfig {

    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
    public static final int DEFAULT_SLOTS_PER_WINDOW = 60;

    private final long permitsPerWindow;
    private final Duration window;
    private final int slotsPerWindow;

    private BudgetConfig(Builder b) {
        this.permitsPerWindow = b.permitsPerWindow;
        this.window = b.window;
        this.slotsPerWindow = b.slotsPerWindow;
    }

    /** {@code permits} per minute with the default slots. */
    public static BudgetConfig perMinute(long permits) {
        return custom().permitsPerWindow(permits).build();
    }

    public static Builder custom() {
        return new Builder();
    }

    public static Builder from(BudgetConfig prototype) {
        Objects.requireNonNull(prototype, "prototype");
        return new Builder().permitsPerWindow(prototype.permitsPerWindow)
                .window(prototype.window).slotsPerWindow(prototype.slotsPerWindow);
    }

    public long permitsPerWindow() {
        return permitsPerWindow;
    }

    public Duration window() {
        return window;
    }

    public int slotsPerWindow() {
        return slotsPerWindow;
    }

    @Override
    public String toString() {
        return "BudgetConfig{permitsPerWindow=" + permitsPerWindow + ", window=" + window
                + ", slotsPerWindow=" + slotsPerWindow + '}';
    }

    /** Builder; setters check their own value, {@link #build()} the combination. */
    public static final class Builder {
        private long permitsPerWindow = -1;
        private Duration window = DEFAULT_WINDOW;
        private int slotsPerWindow = DEFAULT_SLOTS_PER_WINDOW;

        private Builder() {
        }

        public Builder permitsPerWindow(long permits) {
            if (permits <= 0) {
                throw new IllegalArgumentException("permitsPerWindow must be > 0 but was " + permits);
            }
            this.permitsPerWindow = permits;
            return this;
        }

        public Builder window(Duration window) {
            Objects.requireNonNull(window, "window");
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("window must be positive but was " + window);
            }
            if (window.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("window must be at most 1 day but was " + window);
            }
            this.window = window;
            return this;
        }

        public Builder slotsPerWindow(int slots) {
            if (slots < 1 || slots > 10_000) {
                throw new IllegalArgumentException("slotsPerWindow must be in [1, 10000] but was " + slots);
            }
            this.slotsPerWindow = slots;
            return this;
        }

        public BudgetConfig build() {
            if (permitsPerWindow < 0) {
                throw new IllegalStateException("permitsPerWindow must be set");
            }
            if (window.toNanos() < slotsPerWindow) {
                throw new IllegalStateException("window " + window + " is shorter than slotsPerWindow ("
                        + slotsPerWindow + ") nanoseconds");
            }
            return new BudgetConfig(this);
        }
    }
}
