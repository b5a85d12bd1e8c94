package io.friendliflink.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PauseTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void holdsUntilTheLatestEndAskedForAndNoLonger() {
        Pause pause = new Pause(Duration.ofMinutes(2));
        assertThat(pause.nanosUntilAvailable(0)).isZero();

        pause.pauseFor(Duration.ofSeconds(5), 0);
        pause.pauseFor(Duration.ofSeconds(1), SECOND); // ends earlier: the longer pause stands

        assertThat(pause.nanosUntilAvailable(2 * SECOND)).isEqualTo(3 * SECOND);
        assertThat(pause.nanosUntilAvailable(5 * SECOND)).isZero();
    }

    @Test
    void aPauseIsCappedAndANegativeOneIsNone() {
        Pause pause = new Pause(Duration.ofMinutes(2));
        pause.pauseFor(Duration.ofSeconds(-3), 0);
        assertThat(pause.nanosUntilAvailable(0)).isZero();

        pause.pauseFor(Duration.ofDays(1), 0);
        assertThat(pause.nanosUntilAvailable(0)).isEqualTo(Duration.ofMinutes(2).toNanos());
    }
}
