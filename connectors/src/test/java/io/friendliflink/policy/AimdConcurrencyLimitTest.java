package io.friendliflink.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AimdConcurrencyLimitTest {

    @Test
    void capsRequestsInFlight() {
        AimdConcurrencyLimit cap = new AimdConcurrencyLimit(2, 1, 10, 0.5);
        assertThat(cap.tryAcquire()).isTrue();
        assertThat(cap.tryAcquire()).isTrue();
        assertThat(cap.tryAcquire()).isFalse();
        cap.onIgnore();
        assertThat(cap.tryAcquire()).isTrue();
    }

    @Test
    void halvesOn429AndRecoversWhileUsed() {
        AimdConcurrencyLimit cap = new AimdConcurrencyLimit(8, 1, 8, 0.5);
        cap.tryAcquire();
        cap.onRateLimited();
        assertThat(cap.limit()).isEqualTo(4);
        for (int i = 0; i < 100; i++) { // keep the cap full, complete one at a time
            while (cap.tryAcquire()) {
                // fill
            }
            cap.onSuccess();
        }
        assertThat(cap.limit()).isEqualTo(8);
    }

    @Test
    void doesNotGrowWhenLittleIsInFlight() {
        AimdConcurrencyLimit cap = new AimdConcurrencyLimit(10, 1, 100, 0.5);
        for (int i = 0; i < 1_000; i++) {
            cap.tryAcquire();
            cap.onSuccess();
        }
        assertThat(cap.limit()).isEqualTo(10);
    }

    @Test
    void rejectsInvalidConfigurationAndUnbalancedReleases() {
        assertThatThrownBy(() -> new AimdConcurrencyLimit(5, 0, 10, 0.5)).hasMessage("minLimit must be >= 1 but was 0");
        assertThatThrownBy(() -> new AimdConcurrencyLimit(5, 6, 4, 0.5)).hasMessage("maxLimit (4) must be >= minLimit (6)");
        assertThatThrownBy(() -> new AimdConcurrencyLimit(11, 1, 10, 0.5))
                .hasMessage("initialLimit must be in [1, 10] but was 11");
        assertThatThrownBy(() -> new AimdConcurrencyLimit(5, 1, 10, 1.0))
                .hasMessage("backoffRatio must be in [0.1, 1) but was 1.0");
        assertThatThrownBy(() -> new AimdConcurrencyLimit(5, 1, 10, 0.5).onSuccess())
                .hasMessage("released more slots than were acquired");
    }
}
