package io.friendliflink.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.friendliflink.emulator.fault.Fault;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EmulatorConfigTest {
    @Test
    void defaultsAreLoopbackEphemeralFastAndLenient() {
        EmulatorConfig c = EmulatorConfig.defaults();

        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isZero();
        assertThat(c.timeToFirstToken()).isZero();
        assertThat(c.requestsPerMinute()).isZero();
        assertThat(c.faults()).isEmpty();
        assertThat(c.requiresToken()).isFalse();
    }

    @Test
    void badValuesAreRejectedWithTheParameterName() {
        EmulatorConfig.Builder b = EmulatorConfig.builder();
        assertThatThrownBy(() -> b.port(70000)).hasMessageContaining("port").hasMessageContaining("70000");
        assertThatThrownBy(() -> b.timeToFirstToken(Duration.ofMillis(-1))).hasMessageContaining("timeToFirstToken");
        assertThatThrownBy(() -> b.timePerOutputToken(Duration.ofMillis(-1))).hasMessageContaining("timePerOutputToken");
        assertThatThrownBy(() -> b.jitter(2)).hasMessageContaining("jitter");
        assertThatThrownBy(() -> b.requestsPerMinute(-5)).hasMessageContaining("requestsPerMinute");
        assertThatThrownBy(() -> b.tokensPerMinute(-5)).hasMessageContaining("tokensPerMinute");
        assertThatThrownBy(() -> b.concurrency(-1)).hasMessageContaining("concurrency");
        assertThatThrownBy(() -> b.queueCapacity(-1)).hasMessageContaining("queueCapacity");
        assertThatThrownBy(() -> b.fault(Fault.HTTP_500, 1.5)).hasMessageContaining("fault-500");
        assertThatThrownBy(() -> b.slowResponseDelay(Duration.ZERO)).hasMessageContaining("slowResponseDelay");
        assertThatThrownBy(() -> b.token(" ")).hasMessageContaining("token");
    }

    @Test
    void faultProbabilitiesMustAddUpToAtMostOne() {
        EmulatorConfig.Builder b = EmulatorConfig.builder().fault(Fault.HTTP_500, 0.6).fault(Fault.CONNECTION_RESET, 0.6);

        assertThatThrownBy(b::build).hasMessageContaining("fault probabilities").hasMessageContaining("1.2");
    }

    @Test
    void toStringNeverShowsTheToken() {
        EmulatorConfig c = EmulatorConfig.builder().token("flp_secret_value").requestsPerMinute(60).build();

        assertThat(c.toString()).doesNotContain("flp_secret_value").contains("redacted").contains("requestsPerMinute=60");
    }

    @Test
    void toBuilderKeepsEverySetting() {
        EmulatorConfig c = EmulatorConfig.builder().port(8080).jitter(0.3).seed(9).concurrency(4)
                .fault(Fault.HTTP_503, 0.1).token("t").build();

        assertThat(c.toBuilder().build().toString()).isEqualTo(c.toString());
        assertThat(c.toBuilder().build().requiresToken()).isTrue();
    }
}
