package io.friendliflink.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.friendliflink.emulator.fault.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @Test
    void optionsBecomeTheConfiguration() {
        EmulatorConfig c = Main.parse(new String[] {
            "--port", "9090", "--ttft-ms", "200", "--tpot-ms", "20", "--jitter", "0.1", "--rpm", "600",
            "--tpm", "100000", "--retry-after", "false", "--rate-limit-headers", "false", "--concurrency", "64", "--queue", "1000",
            "--fault-500", "0.01", "--fault-503", "0.02", "--fault-reset", "0.005", "--fault-truncate", "0.004",
            "--fault-malformed", "0.003", "--fault-slow", "0.001", "--slow-ms", "30000", "--seed", "42",
            "--io-threads", "3"
        }, Map.of());

        assertThat(c.port()).isEqualTo(9090);
        assertThat(c.timeToFirstToken()).isEqualTo(Duration.ofMillis(200));
        assertThat(c.timePerOutputToken()).isEqualTo(Duration.ofMillis(20));
        assertThat(c.jitter()).isEqualTo(0.1);
        assertThat(c.requestsPerMinute()).isEqualTo(600);
        assertThat(c.tokensPerMinute()).isEqualTo(100_000);
        assertThat(c.retryAfter()).isFalse();
        assertThat(c.rateLimitHeaders()).isFalse();
        assertThat(c.concurrency()).isEqualTo(64);
        assertThat(c.queueCapacity()).isEqualTo(1000);
        assertThat(c.faultProbability(Fault.HTTP_500)).isEqualTo(0.01);
        assertThat(c.faultProbability(Fault.HTTP_503)).isEqualTo(0.02);
        assertThat(c.faultProbability(Fault.CONNECTION_RESET)).isEqualTo(0.005);
        assertThat(c.faultProbability(Fault.TRUNCATED_STREAM)).isEqualTo(0.004);
        assertThat(c.faultProbability(Fault.MALFORMED_JSON)).isEqualTo(0.003);
        assertThat(c.faultProbability(Fault.SLOW_RESPONSE)).isEqualTo(0.001);
        assertThat(c.slowResponseDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.seed()).isEqualTo(42);
        assertThat(c.ioThreads()).isEqualTo(3);
        assertThat(c.requiresToken()).isFalse();
    }

    @Test
    void helpGivesNoConfiguration() {
        assertThat(Main.parse(new String[] {"--port", "1", "--help"}, Map.of())).isNull();
        assertThat(Main.USAGE).contains("--ttft-ms").contains("--fault-reset").contains("--token-file");
    }

    @Test
    void tokenComesFromAFileOrTheEnvironmentNeverFromArguments(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "flp_from_file\n");

        assertThat(Main.parse(new String[] {"--token-file", file.toString()}, Map.of()).token())
                .isEqualTo("flp_from_file");
        assertThat(Main.parse(new String[0], Map.of(Main.TOKEN_ENV, "flp_from_env")).token())
                .isEqualTo("flp_from_env");
        assertThatThrownBy(() -> Main.parse(new String[] {"--token", "flp_x"}, Map.of()))
                .hasMessageContaining("--token-file");
    }

    @Test
    void badOptionsAreNamed() {
        assertThatThrownBy(() -> Main.parse(new String[] {"--rpm", "many"}, Map.of()))
                .hasMessageContaining("--rpm").hasMessageContaining("many");
        assertThatThrownBy(() -> Main.parse(new String[] {"--frobnicate", "1"}, Map.of()))
                .hasMessageContaining("--frobnicate");
        assertThatThrownBy(() -> Main.parse(new String[] {"--port"}, Map.of())).hasMessageContaining("--port");
        assertThatThrownBy(() -> Main.parse(new String[] {"--jitter", "3"}, Map.of())).hasMessageContaining("jitter");
    }
}
