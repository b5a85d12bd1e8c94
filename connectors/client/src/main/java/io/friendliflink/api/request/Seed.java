package io.friendliflink.api.request;

import java.util.List;

/** The {@code seed} field: one seed, or one seed per generated choice (its length must equal {@code n}). */
public sealed interface Seed {

    static Seed of(long value) {
        return new Single(value);
    }

    static Seed perChoice(List<Long> values) {
        return new PerChoice(values);
    }

    /** {@code "seed": 42}. */
    record Single(long value) implements Seed {}

    /** {@code "seed": [1, 2, 3]}: one seed for each of the {@code n} choices. */
    record PerChoice(List<Long> values) implements Seed {
        public PerChoice {
            values = List.copyOf(values);
        }
    }
}
