package io.friendliflink.emulator.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyModelTest {
    @Test
    void zeroLatencyGivesZeroOffsets() {
        LatencyModel zero = new LatencyModel(Duration.ZERO, Duration.ZERO, 0.5);

        assertThat(zero.isZero()).isTrue();
        assertThat(zero.stepOffsetsNanos(4, new SplittableRandom(1))).containsOnly(0L);
        assertThat(zero.totalNanos(10, new SplittableRandom(1))).isZero();
    }

    @Test
    void withoutJitterTokensComeAtTtftThenEveryTpot() {
        LatencyModel m = new LatencyModel(Duration.ofMillis(100), Duration.ofMillis(10), 0);

        assertThat(m.stepOffsetsNanos(3, new SplittableRandom(1)))
                .containsExactly(100_000_000L, 110_000_000L, 120_000_000L);
        assertThat(m.totalNanos(3, new SplittableRandom(1))).isEqualTo(120_000_000L);
        assertThat(m.totalNanos(0, new SplittableRandom(1))).isEqualTo(100_000_000L);
    }

    @Test
    void jitterStaysInBoundsAndRepeatsForTheSameSeed() {
        LatencyModel m = new LatencyModel(Duration.ofMillis(100), Duration.ofMillis(10), 0.5);

        long[] a = m.stepOffsetsNanos(50, new SplittableRandom(7));
        long[] b = m.stepOffsetsNanos(50, new SplittableRandom(7));
        long[] c = m.stepOffsetsNanos(50, new SplittableRandom(8));

        assertThat(a).isEqualTo(b).isNotEqualTo(c);
        assertThat(a[0]).isBetween(50_000_000L, 150_000_000L);
        for (int i = 1; i < a.length; i++) {
            assertThat(a[i] - a[i - 1]).isBetween(5_000_000L, 15_000_000L);
        }
    }

    @Test
    void badJitterIsRejectedByName() {
        assertThatThrownBy(() -> new LatencyModel(Duration.ZERO, Duration.ZERO, 1.5)).hasMessageContaining("jitter");
    }
}
